// title: 各社区五社主体数量 | Actors per community by element
// description: 每个社区的党组织、社会组织、社会工作者、志愿者与慈善资源数量。 | For each community, how many Party committees, organizations, workers, volunteers and charity resources it has.
// params:
// backends: ladybug, neo4j
MATCH (c:Community)
OPTIONAL MATCH (p:PartyCommittee)-[:LEADS]->(c)
WITH c, count(DISTINCT p) AS party_committees
OPTIONAL MATCH (o:Organization)-[:BASED_IN|SERVES]->(c)
WITH c, party_committees, count(DISTINCT o) AS organizations
// One row per relationship below: relationship tables admit no repeated (from, to), so
// count() is exact there, and DISTINCT over 15M volunteers would exhaust the buffer pool.
OPTIONAL MATCH (w:SocialWorker)-[:WORKS_AT]->(c)
WITH c, party_committees, organizations, count(w) AS workers
OPTIONAL MATCH (v:Volunteer)-[:LIVES_IN]->(c)
WITH c, party_committees, organizations, workers, count(v) AS volunteers
OPTIONAL MATCH (f:Foundation)-[:BASED_IN]->(c)
RETURN c.id AS community_id, c.name AS community, party_committees, organizations, workers,
       volunteers, count(f) AS foundations
ORDER BY community_id
