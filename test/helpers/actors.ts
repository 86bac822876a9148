import { dispatchLine } from "../../src/command-kit/dispatch";
import type { Services } from "../../src/core/context";
import type { Reply } from "../../src/core/reply";
import { shellSpeaker } from "../../src/platforms/shell/speaker";

/** Runs a command line as a terminal user of a community, the way `flywheel exec` does. */
export const as = (services: Services, name: string, community?: string) => (line: string) => {
  const { speaker, place } = shellSpeaker(name, community);
  return dispatchLine(services, line, speaker, place);
};

/** The #number an answer names (a new request or ticket), after checking it is not an error. */
export const idOf = (r: Reply): number => {
  expect(r.error).toBeFalsy();
  return Number(/#(\d+)/.exec(r.text)![1]);
};
