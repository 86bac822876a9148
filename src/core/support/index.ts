// Support triage: tickets opened by members, triaged by staff in a shared thread (on Slack or
// Discord, whichever the member used), measured, reminded. Entry points for the app and jobs:
export { subscribeSupport, handleThreadMessage } from "./relay";
export { runSupportReminders } from "./reminders";
export { supportStats } from "./stats";
export { openTicket } from "./tickets";
