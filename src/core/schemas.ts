import { z } from "zod";
import { parseNumberRef } from "./text";

/** "12" or "#12" from text, 12 from Discord: a positive number of a request, ticket... */
const numberRef = (noun: string) =>
  z.preprocess(
    parseNumberRef,
    z
      .number({ message: `Give a ${noun} number, like 12 or #12.` })
      .int({ message: `A ${noun} number is a whole number, like 12.` })
      .positive({ message: `A ${noun} number is a positive number, like 12.` })
      .max(2_000_000_000, { message: `That number is too large to be a ${noun}.` }),
  );

export const requestNumber = numberRef("request");
export const ticketNumber = numberRef("ticket");
