-- CreateTable
CREATE TABLE "ReactionFiling" (
    "id" SERIAL NOT NULL,
    "platform" "Platform" NOT NULL,
    "workspace" TEXT NOT NULL DEFAULT '',
    "channel" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "reactorId" INTEGER NOT NULL,
    "requestId" INTEGER,
    "ticketId" INTEGER,
    "messageUrl" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ReactionFiling_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ForumPost" (
    "id" SERIAL NOT NULL,
    "platform" "Platform" NOT NULL DEFAULT 'discord',
    "workspace" TEXT NOT NULL,
    "forum" TEXT NOT NULL,
    "thread" TEXT,
    "state" TEXT NOT NULL,
    "requestId" INTEGER,
    "authorId" INTEGER,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL DEFAULT '',
    "outboxId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ForumPost_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ReactionFiling_platform_channel_messageId_kind_key" ON "ReactionFiling"("platform", "channel", "messageId", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "ForumPost_thread_key" ON "ForumPost"("thread");

-- CreateIndex
CREATE UNIQUE INDEX "ForumPost_outboxId_key" ON "ForumPost"("outboxId");

-- CreateIndex
CREATE INDEX "ForumPost_requestId_idx" ON "ForumPost"("requestId");

