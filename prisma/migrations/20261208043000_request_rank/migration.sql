-- AlterTable
ALTER TABLE "RequestCommunity" ADD COLUMN     "voters" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "RequestCommunity_requestId_voters_communityId_idx" ON "RequestCommunity"("requestId", "voters" DESC, "communityId");

-- CreateIndex
CREATE INDEX "FeatureRequest_mergedIntoId_idx" ON "FeatureRequest"("mergedIntoId");

-- CreateTable
CREATE TABLE "RequestRank" (
    "requestId" INTEGER NOT NULL,
    "status" "RequestStatus" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "communities" INTEGER NOT NULL DEFAULT 0,
    "breadth" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "votes" INTEGER NOT NULL DEFAULT 0,
    "pledges" INTEGER NOT NULL DEFAULT 0,
    "pledged" DECIMAL(16,2) NOT NULL DEFAULT 0,

    CONSTRAINT "RequestRank_pkey" PRIMARY KEY ("requestId")
);

-- CreateTable
CREATE TABLE "RankWeights" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "premier" DOUBLE PRECISION NOT NULL,
    "general" DOUBLE PRECISION NOT NULL,
    "essential" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "RankWeights_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RequestStatusTally" (
    "status" "RequestStatus" NOT NULL,
    "requests" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "RequestStatusTally_pkey" PRIMARY KEY ("status")
);

-- CreateIndex
CREATE INDEX "RequestRank_status_breadth_votes_pledged_createdAt_requestI_idx" ON "RequestRank"("status", "breadth" DESC, "votes" DESC, "pledged" DESC, "createdAt", "requestId");

-- AddForeignKey
ALTER TABLE "RequestRank" ADD CONSTRAINT "RequestRank_requestId_fkey" FOREIGN KEY ("requestId") REFERENCES "FeatureRequest"("id") ON DELETE CASCADE ON UPDATE CASCADE;



-- Everything below keeps RequestRank and RequestStatusTally equal to what the requests, votes and
-- pledges say, inside the transaction that changes them, so the ranked list walks an index for
-- its page and reads its total from one row (bench/: 100,000 requests, 10,000,000 votes: the
-- list weighed every open request's breadth on every call). The app never writes these tables.

-- The breadth weights; syncRankWeights (src/core/requests/rank.ts) sets flywheel.yml's at start.
INSERT INTO "RankWeights" (id, premier, general, essential) VALUES (1, 2, 1, 1);
INSERT INTO "RequestStatusTally" (status, requests)
  SELECT s, 0 FROM unnest(enum_range(NULL::"RequestStatus")) AS s;

-- Breadth is read with a shared lock on this key and the weights are changed under the exclusive
-- one, so no vote can store a breadth computed with weights that are being replaced.
CREATE FUNCTION flywheel_rank_weights_lock() RETURNS BIGINT LANGUAGE sql IMMUTABLE AS $$ SELECT 727073690043::bigint $$;

-- The weights, or flywheel.yml's defaults while the row is missing (tests truncate every table;
-- syncRankWeights puts it back at the next start).
CREATE FUNCTION flywheel_weights() RETURNS TABLE (premier FLOAT8, general FLOAT8, essential FLOAT8) LANGUAGE sql STABLE AS $$
  SELECT premier, general, essential FROM "RankWeights" WHERE id = 1
  UNION ALL
  SELECT 2, 1, 1 WHERE NOT EXISTS (SELECT 1 FROM "RankWeights" WHERE id = 1)
$$;

-- The add/remove of 20261129150000 now keep each community's voter count on the request and say
-- whether the request's community counts changed, so a vote that only adds to the votes count
-- skips reading the weights.
DROP FUNCTION flywheel_breadth_add(INTEGER, INTEGER);
DROP FUNCTION flywheel_breadth_remove(INTEGER, INTEGER);

CREATE FUNCTION flywheel_breadth_add(req INTEGER, com INTEGER) RETURNS BOOLEAN LANGUAGE plpgsql AS $$
DECLARE
  t "Tier";
  n INTEGER;
BEGIN
  PERFORM pg_advisory_xact_lock(req, com);
  INSERT INTO "RequestCommunity" ("requestId", "communityId", voters) VALUES (req, com, 1)
  ON CONFLICT ("requestId", "communityId") DO UPDATE SET voters = "RequestCommunity".voters + 1
  RETURNING voters INTO n;
  IF n > 1 THEN
    RETURN FALSE;
  END IF;
  -- FOR SHARE: a concurrent tier change waits for us (and we for it), so the count lands in the right column.
  SELECT tier INTO t FROM "Community" WHERE id = com FOR SHARE;
  INSERT INTO "RequestBreadth" ("requestId", premier, general, essential)
  VALUES (req, (t = 'premier')::int, (t = 'general')::int, (t = 'essential')::int)
  ON CONFLICT ("requestId") DO UPDATE SET
    premier = "RequestBreadth".premier + EXCLUDED.premier,
    general = "RequestBreadth".general + EXCLUDED.general,
    essential = "RequestBreadth".essential + EXCLUDED.essential;
  RETURN TRUE;
END $$;

-- The community's voter count says whether this was its last vote here (no look at Vote).
CREATE FUNCTION flywheel_breadth_remove(req INTEGER, com INTEGER) RETURNS BOOLEAN LANGUAGE plpgsql AS $$
DECLARE
  t "Tier";
  n INTEGER;
BEGIN
  PERFORM pg_advisory_xact_lock(req, com);
  UPDATE "RequestCommunity" SET voters = voters - 1 WHERE "requestId" = req AND "communityId" = com RETURNING voters INTO n;
  IF NOT FOUND OR n > 0 THEN
    RETURN FALSE;
  END IF;
  DELETE FROM "RequestCommunity" WHERE "requestId" = req AND "communityId" = com;
  SELECT tier INTO t FROM "Community" WHERE id = com FOR SHARE;
  UPDATE "RequestBreadth" SET
    premier = premier - (t = 'premier')::int,
    general = general - (t = 'general')::int,
    essential = essential - (t = 'essential')::int
  WHERE "requestId" = req;
  DELETE FROM "RequestBreadth" WHERE "requestId" = req AND premier = 0 AND general = 0 AND essential = 0;
  RETURN TRUE;
END $$;

-- One UPDATE of the request's rank row per vote. The row lock it takes is held to commit, so the
-- votes of one request are counted one after another (a per-request order, like the breadth
-- row's); when the community counts changed, breadth is recomputed from RequestBreadth as it now
-- stands (a fresh snapshot: READ COMMITTED, after the row lock there serialised us).
CREATE FUNCTION flywheel_rank_votes(req INTEGER, dvotes INTEGER, breadth_changed BOOLEAN) RETURNS VOID LANGUAGE plpgsql AS $$
DECLARE
  w RECORD;
  b RECORD;
BEGIN
  IF NOT breadth_changed THEN
    UPDATE "RequestRank" SET votes = votes + dvotes WHERE "requestId" = req;
    RETURN;
  END IF;
  PERFORM pg_advisory_xact_lock_shared(flywheel_rank_weights_lock());
  SELECT * INTO w FROM flywheel_weights();
  SELECT coalesce(max(premier), 0) AS premier, coalesce(max(general), 0) AS general, coalesce(max(essential), 0) AS essential
    INTO b FROM "RequestBreadth" WHERE "requestId" = req;
  UPDATE "RequestRank" SET
    votes = votes + dvotes,
    communities = b.premier + b.general + b.essential,
    breadth = b.premier * w.premier + b.general * w.general + b.essential * w.essential
  WHERE "requestId" = req;
END $$;

CREATE OR REPLACE FUNCTION flywheel_vote_breadth() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM flywheel_rank_votes(NEW."requestId", 1, flywheel_breadth_add(NEW."requestId", NEW."communityId"));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM flywheel_rank_votes(OLD."requestId", -1, flywheel_breadth_remove(OLD."requestId", OLD."communityId"));
  ELSIF NEW."requestId" <> OLD."requestId" OR NEW."communityId" <> OLD."communityId" THEN
    PERFORM flywheel_rank_votes(OLD."requestId", -1, flywheel_breadth_remove(OLD."requestId", OLD."communityId"));
    PERFORM flywheel_rank_votes(NEW."requestId", 1, flywheel_breadth_add(NEW."requestId", NEW."communityId"));
  END IF;
  RETURN NULL;
END $$;

-- A community that changes tier moves its count on every request it wants, and their breadth.
CREATE OR REPLACE FUNCTION flywheel_community_tier() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "RequestBreadth" b SET
    premier = b.premier - (OLD.tier = 'premier')::int + (NEW.tier = 'premier')::int,
    general = b.general - (OLD.tier = 'general')::int + (NEW.tier = 'general')::int,
    essential = b.essential - (OLD.tier = 'essential')::int + (NEW.tier = 'essential')::int
  FROM "RequestCommunity" rc
  WHERE rc."communityId" = NEW.id AND b."requestId" = rc."requestId";
  PERFORM pg_advisory_xact_lock_shared(flywheel_rank_weights_lock());
  UPDATE "RequestRank" k SET
    breadth = b.premier * w.premier + b.general * w.general + b.essential * w.essential
  FROM "RequestCommunity" rc, "RequestBreadth" b, flywheel_weights() w
  WHERE rc."communityId" = NEW.id AND b."requestId" = rc."requestId" AND k."requestId" = rc."requestId";
  RETURN NULL;
END $$;

CREATE FUNCTION flywheel_pledge_rank() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    UPDATE "RequestRank" SET pledges = pledges - 1, pledged = pledged - OLD.amount WHERE "requestId" = OLD."requestId";
  END IF;
  IF TG_OP <> 'DELETE' THEN
    UPDATE "RequestRank" SET pledges = pledges + 1, pledged = pledged + NEW.amount WHERE "requestId" = NEW."requestId";
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Pledge_rank" AFTER INSERT OR DELETE OR UPDATE OF "requestId", amount ON "Pledge"
  FOR EACH ROW EXECUTE FUNCTION flywheel_pledge_rank();

-- Upserts, so an emptied tally (a TRUNCATE of every table, as tests do) counts again from zero.
CREATE FUNCTION flywheel_tally(s "RequestStatus", d INTEGER) RETURNS VOID LANGUAGE sql AS $$
  INSERT INTO "RequestStatusTally" (status, requests) VALUES (s, d)
  ON CONFLICT (status) DO UPDATE SET requests = "RequestStatusTally".requests + d
$$;

-- A new request starts with its rank row (the author's vote, in the same transaction, counts on
-- it); a status change moves it between the lists and their totals; a deleted one leaves both
-- (its rank row by the foreign key's cascade).
CREATE FUNCTION flywheel_request_rank() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "RequestRank" ("requestId", status, "createdAt") VALUES (NEW.id, NEW.status, NEW."createdAt");
    PERFORM flywheel_tally(NEW.status, 1);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM flywheel_tally(OLD.status, -1);
  ELSE
    UPDATE "RequestRank" SET status = NEW.status, "createdAt" = NEW."createdAt" WHERE "requestId" = NEW.id;
    IF NEW.status <> OLD.status THEN
      PERFORM flywheel_tally(OLD.status, -1);
      PERFORM flywheel_tally(NEW.status, 1);
    END IF;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "FeatureRequest_rank" AFTER INSERT OR DELETE ON "FeatureRequest"
  FOR EACH ROW EXECUTE FUNCTION flywheel_request_rank();
CREATE TRIGGER "FeatureRequest_rank_status" AFTER UPDATE OF status, "createdAt" ON "FeatureRequest"
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD."createdAt" IS DISTINCT FROM NEW."createdAt")
  EXECUTE FUNCTION flywheel_request_rank();

-- Recomputes RequestRank and the tallies from the requests, votes and pledges (after a bulk load
-- with the triggers off, bench/seed.ts, or to repair). Run it with writes quiet.
CREATE FUNCTION flywheel_rebuild_rank() RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(flywheel_rank_weights_lock());
  DELETE FROM "RequestRank";
  INSERT INTO "RequestRank" ("requestId", status, "createdAt", communities, breadth, votes, pledges, pledged)
    SELECT r.id, r.status, r."createdAt",
           coalesce(b.premier + b.general + b.essential, 0),
           coalesce(b.premier * w.premier + b.general * w.general + b.essential * w.essential, 0),
           coalesce(v.n, 0), coalesce(p.n, 0), coalesce(p.amount, 0)
    FROM "FeatureRequest" r
    CROSS JOIN flywheel_weights() w
    LEFT JOIN "RequestBreadth" b ON b."requestId" = r.id
    LEFT JOIN (SELECT "requestId", count(*) AS n FROM "Vote" GROUP BY 1) v ON v."requestId" = r.id
    LEFT JOIN (SELECT "requestId", count(*) AS n, sum(amount) AS amount FROM "Pledge" GROUP BY 1) p ON p."requestId" = r.id;
  DELETE FROM "RequestStatusTally";
  INSERT INTO "RequestStatusTally" (status, requests)
    SELECT s, (SELECT count(*) FROM "FeatureRequest" r WHERE r.status = s) FROM unnest(enum_range(NULL::"RequestStatus")) AS s;
END $$;

-- The breadth rebuild ends with the rank's, which reads it.
CREATE OR REPLACE FUNCTION flywheel_rebuild_breadth() RETURNS VOID LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "RequestBreadth";
  DELETE FROM "RequestCommunity";
  INSERT INTO "RequestCommunity" ("requestId", "communityId", voters)
    SELECT "requestId", "communityId", count(*) FROM "Vote" GROUP BY 1, 2;
  INSERT INTO "RequestBreadth" ("requestId", premier, general, essential)
    SELECT rc."requestId", count(*) FILTER (WHERE c.tier = 'premier'), count(*) FILTER (WHERE c.tier = 'general'),
           count(*) FILTER (WHERE c.tier = 'essential')
    FROM "RequestCommunity" rc JOIN "Community" c ON c.id = rc."communityId"
    GROUP BY rc."requestId";
  PERFORM flywheel_rebuild_rank();
END $$;

-- New weights: every breadth again, under the exclusive lock (votes that change a breadth wait
-- for it, then read the new weights). Returns whether anything changed.
CREATE FUNCTION flywheel_set_rank_weights(p FLOAT8, g FLOAT8, e FLOAT8) RETURNS BOOLEAN LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(flywheel_rank_weights_lock());
  IF EXISTS (SELECT 1 FROM "RankWeights" WHERE id = 1 AND premier = p AND general = g AND essential = e) THEN
    RETURN FALSE;
  END IF;
  INSERT INTO "RankWeights" (id, premier, general, essential) VALUES (1, p, g, e)
    ON CONFLICT (id) DO UPDATE SET premier = p, general = g, essential = e;
  UPDATE "RequestRank" k SET breadth = coalesce(
    (SELECT b.premier * p + b.general * g + b.essential * e FROM "RequestBreadth" b WHERE b."requestId" = k."requestId"), 0);
  RETURN TRUE;
END $$;

-- Existing data: the voter counts and the rank from the votes (rebuilds breadth too, unchanged).
SELECT flywheel_rebuild_breadth();
