-- AlterTable
ALTER TABLE "GithubItem" ADD COLUMN     "stateReason" TEXT,
ADD COLUMN     "suggestedBy" TEXT,
ADD COLUMN     "suggestedRequestId" INTEGER;

-- CreateIndex
CREATE INDEX "GithubItem_suggestedRequestId_idx" ON "GithubItem"("suggestedRequestId");

-- AddForeignKey
ALTER TABLE "GithubItem" ADD CONSTRAINT "GithubItem_suggestedRequestId_fkey" FOREIGN KEY ("suggestedRequestId") REFERENCES "FeatureRequest"("id") ON DELETE SET NULL ON UPDATE CASCADE;

