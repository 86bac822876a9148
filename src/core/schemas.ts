import { z } from "zod";
import { parseNumberRef } from "./text";

/** "12" or "#12" from text, 12 from Discord: a positive request or ticket number. */
export const requestNumber = z.preprocess(
  parseNumberRef,
  z
    .number({ message: "Give a request number, like 12 or #12." })
    .int({ message: "A request number is a whole number, like 12." })
    .positive({ message: "A request number is a positive number, like 12." })
    .max(2_000_000_000, { message: "That number is too large to be a request." }),
);

/** "12" or "#12" from text, 12 from Discord: a support ticket number. */
export const ticketNumber = z.preprocess(
  parseNumberRef,
  z
    .number({ message: "Give a ticket number, like 12 or #12." })
    .int({ message: "A ticket number is a whole number, like 12." })
    .positive({ message: "A ticket number is a positive number, like 12." })
    .max(2_000_000_000, { message: "That number is too large to be a ticket." }),
);
