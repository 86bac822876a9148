-- CreateIndex
CREATE INDEX "OutboxMessage_platform_workspace_channel_deliveredAt_idx" ON "OutboxMessage"("platform", "workspace", "channel", "deliveredAt");
