-- CreateIndex
CREATE INDEX "OutboxMessage_platform_externalId_idx" ON "OutboxMessage"("platform", "externalId");

-- CreateIndex
CREATE INDEX "OutboxMessage_platform_thread_idx" ON "OutboxMessage"("platform", "thread");

-- CreateIndex
CREATE UNIQUE INDEX "TicketMessage_ticketId_platform_externalId_key" ON "TicketMessage"("ticketId", "platform", "externalId");

