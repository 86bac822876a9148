-- AlterTable
ALTER TABLE "SupportTicket" ADD COLUMN     "awaitingStaffSince" TIMESTAMP(3);

-- Tickets still waiting for a first staff answer keep their reminders, counted from when they were opened.
UPDATE "SupportTicket" SET "awaitingStaffSince" = "createdAt" WHERE "firstResponseAt" IS NULL AND status = 'open';
