import { answer } from "../../service/runtime";

export default answer("search-companies");
