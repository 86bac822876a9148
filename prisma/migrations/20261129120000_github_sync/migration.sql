-- AlterTable
ALTER TABLE "GithubItem" ADD COLUMN     "nodeId" TEXT;

-- CreateTable
CREATE TABLE "GithubReview" (
    "id" SERIAL NOT NULL,
    "repo" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "login" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "submittedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GithubReview_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "GithubReview_repo_number_login_key" ON "GithubReview"("repo", "number", "login");

-- CreateIndex
CREATE INDEX "GithubItem_nodeId_idx" ON "GithubItem"("nodeId");

