// Names Slack and Flywheel agree on: the manifest declares them, the listeners match them.

/** Slack's Events API, slash commands and interactivity all arrive here (HTTP mode). */
export const SLACK_EVENTS_PATH = "/slack/events";

/** Every Flywheel button carries `fw:<n>` as action_id and its command line as value. */
export const BUTTON_ACTION = /^fw:/;

/** Every Flywheel modal is submitted under this callback_id; private_metadata says which command. */
export const MODAL_CALLBACK = "fw:modal";

/** The message shortcut that turns any message into a feature request (name and description: catalog keys). */
export const REQUEST_SHORTCUT = {
  callbackId: "fw_request_from_message",
  name: "platforms.slack.manifest.shortcutName",
  description: "platforms.slack.manifest.shortcutDescription",
  command: "request",
} as const;
