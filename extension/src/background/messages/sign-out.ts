import { answer } from "../../service/runtime";

export default answer("sign-out");
