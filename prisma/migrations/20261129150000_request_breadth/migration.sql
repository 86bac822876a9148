-- CreateTable
CREATE TABLE "RequestCommunity" (
    "requestId" INTEGER NOT NULL,
    "communityId" INTEGER NOT NULL,

    CONSTRAINT "RequestCommunity_pkey" PRIMARY KEY ("requestId","communityId")
);

-- CreateTable
CREATE TABLE "RequestBreadth" (
    "requestId" INTEGER NOT NULL,
    "premier" INTEGER NOT NULL DEFAULT 0,
    "general" INTEGER NOT NULL DEFAULT 0,
    "essential" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "RequestBreadth_pkey" PRIMARY KEY ("requestId")
);

-- CreateIndex
CREATE INDEX "RequestCommunity_communityId_idx" ON "RequestCommunity"("communityId");

-- AddForeignKey
ALTER TABLE "RequestCommunity" ADD CONSTRAINT "RequestCommunity_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "FeatureRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RequestCommunity" ADD CONSTRAINT "RequestCommunity_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Community"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RequestBreadth" ADD CONSTRAINT "RequestBreadth_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "FeatureRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Everything below keeps RequestCommunity and RequestBreadth equal to what the votes say, inside
-- the transaction that changes the votes, so the ranked list reads ~one row per request instead
-- of aggregating every vote (bench/: 10,000 requests, 1,000,000 votes). The app never writes
-- these tables. pg_advisory_xact_lock(request, community) serialises only the votes of one
-- community on one request, so "is this the community's first/last vote here?" is never raced.

-- +1 community of the voter's tier when a request gets its first vote from that community.
CREATE FUNCTION flywheel_breadth_add(req INTEGER, com INTEGER) RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
  t "Tier";
BEGIN
  PERFORM pg_advisory_xact_lock(req, com);
  INSERT INTO "RequestCommunity" ("requestId", "communityId") VALUES (req, com) ON CONFLICT DO NOTHING;
  IF FOUND THEN
    -- FOR SHARE: a concurrent tier change waits for us (and we for it), so the count lands in the right column.
    SELECT tier INTO t FROM "Community" WHERE id = com FOR SHARE;
    INSERT INTO "RequestBreadth" ("requestId", premier, general, essential)
    VALUES (req, (t = 'premier')::int, (t = 'general')::int, (t = 'essential')::int)
    ON CONFLICT ("requestId") DO UPDATE SET
      premier = "RequestBreadth".premier + EXCLUDED.premier,
      general = "RequestBreadth".general + EXCLUDED.general,
      essential = "RequestBreadth".essential + EXCLUDED.essential;
  END IF;
END $$;

-- -1 when the community's last vote on the request goes (unvote, merge, identity merge).
CREATE FUNCTION flywheel_breadth_remove(req INTEGER, com INTEGER) RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
  t "Tier";
BEGIN
  PERFORM pg_advisory_xact_lock(req, com);
  IF EXISTS (SELECT 1 FROM "Vote" WHERE "requestId" = req AND "communityId" = com) THEN
    RETURN;
  END IF;
  DELETE FROM "RequestCommunity" WHERE "requestId" = req AND "communityId" = com;
  IF FOUND THEN
    SELECT tier INTO t FROM "Community" WHERE id = com FOR SHARE;
    UPDATE "RequestBreadth" SET
      premier = premier - (t = 'premier')::int,
      general = general - (t = 'general')::int,
      essential = essential - (t = 'essential')::int
    WHERE "requestId" = req;
    -- Nobody wants it any more: no row, as if it had never had votes.
    DELETE FROM "RequestBreadth" WHERE "requestId" = req AND premier = 0 AND general = 0 AND essential = 0;
  END IF;
END $$;

CREATE FUNCTION flywheel_vote_breadth() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM flywheel_breadth_add(NEW."requestId", NEW."communityId");
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM flywheel_breadth_remove(OLD."requestId", OLD."communityId");
  ELSIF NEW."requestId" <> OLD."requestId" OR NEW."communityId" <> OLD."communityId" THEN
    PERFORM flywheel_breadth_remove(OLD."requestId", OLD."communityId");
    PERFORM flywheel_breadth_add(NEW."requestId", NEW."communityId");
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Vote_breadth" AFTER INSERT OR DELETE OR UPDATE OF "requestId", "communityId" ON "Vote"
  FOR EACH ROW EXECUTE FUNCTION flywheel_vote_breadth();

-- A community that changes tier (flywheel.yml) moves its count on every request it wants.
CREATE FUNCTION flywheel_community_tier() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "RequestBreadth" b SET
    premier = b.premier - (OLD.tier = 'premier')::int + (NEW.tier = 'premier')::int,
    general = b.general - (OLD.tier = 'general')::int + (NEW.tier = 'general')::int,
    essential = b.essential - (OLD.tier = 'essential')::int + (NEW.tier = 'essential')::int
  FROM "RequestCommunity" rc
  WHERE rc."communityId" = NEW.id AND b."requestId" = rc."requestId";
  RETURN NULL;
END $$;

CREATE TRIGGER "Community_tier_breadth" AFTER UPDATE OF tier ON "Community"
  FOR EACH ROW WHEN (OLD.tier IS DISTINCT FROM NEW.tier) EXECUTE FUNCTION flywheel_community_tier();

-- Recomputes both tables from the votes: for existing data now, and after a bulk load that ran
-- with the trigger disabled (bench/seed.ts). Run it with the votes quiet.
CREATE FUNCTION flywheel_rebuild_breadth() RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "RequestBreadth";
  DELETE FROM "RequestCommunity";
  INSERT INTO "RequestCommunity" ("requestId", "communityId")
    SELECT DISTINCT "requestId", "communityId" FROM "Vote";
  INSERT INTO "RequestBreadth" ("requestId", premier, general, essential)
    SELECT rc."requestId", count(*) FILTER (WHERE c.tier = 'premier'), count(*) FILTER (WHERE c.tier = 'general'),
           count(*) FILTER (WHERE c.tier = 'essential')
    FROM "RequestCommunity" rc JOIN "Community" c ON c.id = rc."communityId"
    GROUP BY rc."requestId";
END $$;

SELECT flywheel_rebuild_breadth();
