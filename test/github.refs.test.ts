import { allItemRefs, closingRefs, coAuthors, isBotLogin, parseItemRef, requestMentions } from "../src/core/github/refs";

describe("reading GitHub references", () => {
  test("issue and pull request references as people type them", () => {
    expect(parseItemRef("Octo-Org/App#34")).toEqual({ repo: "octo-org/app", number: 34 });
    expect(parseItemRef("https://github.com/octo-org/app/pull/35")).toEqual({ repo: "octo-org/app", number: 35, kind: "pr" });
    expect(parseItemRef("https://ghe.example.com/team/tool/issues/9#issuecomment-1")).toEqual({ repo: "team/tool", number: 9, kind: "issue" });
    expect(parseItemRef("#12", "octo-org/app")).toEqual({ repo: "octo-org/app", number: 12 });
    expect(parseItemRef("12")).toBeUndefined();
    expect(parseItemRef("banana")).toBeUndefined();
    expect(parseItemRef("https://github.com/octo-org/app")).toBeUndefined();
  });

  test("requests named in GitHub text: Flywheel #12 and links to the public roadmap", () => {
    expect(requestMentions("Implements flywheel #12 and Flywheel#7; see Flywheel #12 again")).toEqual([12, 7]);
    expect(requestMentions("See https://fly.example.org/roadmap/5 and https://fly.example.org/requests/6", "https://fly.example.org/")).toEqual([5, 6]);
    expect(requestMentions("See https://elsewhere.example/roadmap/5", "https://fly.example.org")).toEqual([]);
    expect(requestMentions("Fixes #12")).toEqual([]);
    expect(requestMentions(null)).toEqual([]);
  });

  test("closing keywords, and every reference in release notes, never a Flywheel request number", () => {
    expect(closingRefs("Fixes #12, closes other/repo#3 and Resolves: https://github.com/a/b/issues/4. Closes Flywheel #9", "Octo/App")).toEqual([
      { repo: "octo/app", number: 12 },
      { repo: "other/repo", number: 3 },
      { repo: "a/b", number: 4 },
    ]);
    expect(closingRefs("Related to #12", "octo/app")).toEqual([]);
    expect(allItemRefs("- Cache layers (#101)\n- Flywheel #9 done\n- see a/b#2 and https://github.com/c/d/pull/3\n- color#fff", "octo/app")).toEqual([
      { repo: "octo/app", number: 101 },
      { repo: "a/b", number: 2 },
      { repo: "c/d", number: 3 },
    ]);
  });

  test("Co-authored-by trailers, logins from GitHub's no-reply addresses, bots", () => {
    expect(coAuthors("Fix\n\nCo-authored-by: Mona Lisa <12345+MonaLisa@users.noreply.github.com>\nco-authored-by: Ana <ana@uni.example>\nCo-authored-by: Ana <ANA@uni.example>")).toEqual([
      { name: "Mona Lisa", email: "12345+monalisa@users.noreply.github.com", login: "monalisa" },
      { name: "Ana", email: "ana@uni.example", login: undefined },
    ]);
    expect(isBotLogin("dependabot[bot]")).toBe(true);
    expect(isBotLogin("hubot", "Bot")).toBe(true);
    expect(isBotLogin("hubot", "User")).toBe(false);
  });
});
