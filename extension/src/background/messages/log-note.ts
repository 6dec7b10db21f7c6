import { answer } from "../../service/runtime";

export default answer("log-note");
