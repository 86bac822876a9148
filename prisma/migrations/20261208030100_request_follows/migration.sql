-- CreateTable
CREATE TABLE "Follow" (
    "requestId" INTEGER NOT NULL,
    "personId" INTEGER NOT NULL,
    "place" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Follow_pkey" PRIMARY KEY ("requestId","personId")
);

-- CreateIndex
CREATE INDEX "Follow_personId_idx" ON "Follow"("personId");

-- AddForeignKey
ALTER TABLE "Follow" ADD CONSTRAINT "Follow_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "FeatureRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Follow" ADD CONSTRAINT "Follow_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

