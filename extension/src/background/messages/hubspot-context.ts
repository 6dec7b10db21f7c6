import { answer } from "../../service/runtime";

export default answer("hubspot-context");
