import { z } from "zod";
import type { MessageKey } from "../i18n/catalog";
import { parseNumberRef } from "./text";

type NumberProblem = "missing" | "whole" | "positive" | "tooLarge";

// A schema is built once, before anyone asks: its messages are catalog keys, worded in the
// asker's language when dispatch shows the issue (see command-kit/explain describeIssue).
const MESSAGES = {
  request: {
    missing: "schemas.requestNumber.missing",
    whole: "schemas.requestNumber.whole",
    positive: "schemas.requestNumber.positive",
    tooLarge: "schemas.requestNumber.tooLarge",
  },
  ticket: {
    missing: "schemas.ticketNumber.missing",
    whole: "schemas.ticketNumber.whole",
    positive: "schemas.ticketNumber.positive",
    tooLarge: "schemas.ticketNumber.tooLarge",
  },
} as const satisfies Record<string, Record<NumberProblem, MessageKey>>;

/** "12" or "#12" from text, 12 from Discord: a positive number of a request, ticket... */
const numberRef = (noun: keyof typeof MESSAGES) =>
  z.preprocess(
    parseNumberRef,
    z
      .number({ message: MESSAGES[noun].missing })
      .int({ message: MESSAGES[noun].whole })
      .positive({ message: MESSAGES[noun].positive })
      .max(2_000_000_000, { message: MESSAGES[noun].tooLarge }),
  );

export const requestNumber = numberRef("request");
export const ticketNumber = numberRef("ticket");
