-- AlterTable
ALTER TABLE "Person" ADD COLUMN     "lastWriteAt" TIMESTAMP(3);

