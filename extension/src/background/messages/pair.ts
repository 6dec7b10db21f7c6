import { answer } from "../../service/runtime";

export default answer("pair");
