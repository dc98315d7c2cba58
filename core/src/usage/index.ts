// "@quotacast/core/usage": calendar days and the priced cost stream of usage events.
export { dayKey } from "./daykey";
export { costPoints } from "./cost-points";
