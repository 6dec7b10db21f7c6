import { answer } from "../../service/runtime";

export default answer("page-detected");
