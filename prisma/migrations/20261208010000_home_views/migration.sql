-- CreateTable
CREATE TABLE "HomeView" (
    "platform" "Platform" NOT NULL,
    "externalId" TEXT NOT NULL,
    "workspace" TEXT NOT NULL DEFAULT '',
    "openedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "HomeView_pkey" PRIMARY KEY ("platform","externalId")
);

