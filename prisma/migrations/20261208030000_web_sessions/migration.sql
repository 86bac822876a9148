-- CreateTable
CREATE TABLE "WebSession" (
    "id" TEXT NOT NULL,
    "personId" INTEGER NOT NULL,
    "platform" "Platform" NOT NULL,
    "externalId" TEXT NOT NULL,
    "workspace" TEXT NOT NULL DEFAULT '',
    "csrf" TEXT NOT NULL,
    "flash" TEXT,
    "flashError" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),

    CONSTRAINT "WebSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebSignin" (
    "state" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "verifier" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "linkSessionId" TEXT,
    "returnTo" TEXT NOT NULL DEFAULT '/roadmap',
    "createdAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),

    CONSTRAINT "WebSignin_pkey" PRIMARY KEY ("state")
);

-- CreateIndex
CREATE INDEX "WebSession_personId_idx" ON "WebSession"("personId");

-- CreateIndex
CREATE INDEX "WebSignin_createdAt_idx" ON "WebSignin"("createdAt");

-- AddForeignKey
ALTER TABLE "WebSession" ADD CONSTRAINT "WebSession_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

