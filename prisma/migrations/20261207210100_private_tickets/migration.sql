-- AlterTable
ALTER TABLE "SupportTicket" ADD COLUMN     "memberActiveAt" TIMESTAMP(3),
ADD COLUMN     "memberUnreachable" TEXT,
ADD COLUMN     "private" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE INDEX "SupportTicket_requesterId_status_idx" ON "SupportTicket"("requesterId", "status");

-- Tickets opened in a DM before this migration are private too (their member place names a user, no channel).
UPDATE "SupportTicket" SET "private" = true WHERE "memberPlace" ? 'user' AND NOT ("memberPlace" ? 'channel');
