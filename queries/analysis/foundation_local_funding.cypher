// title: 慈善资源本地资助情况 | Local funding by charity resources
// description: 每个慈善资源所在的社区/乡镇,以及它资助的本乡镇(街道)项目数与全部项目数。 | Each charity resource's home community/township, how many projects in its own township it funds, and how many in total.
// params:
// backends: ladybug, neo4j
MATCH (f:Foundation)-[:BASED_IN]->(h)
OPTIONAL MATCH (h)-[:PART_OF]->(ht:Township)
WITH f, h, CASE WHEN ht IS NULL THEN h.id ELSE ht.id END AS township_id,
     CASE WHEN ht IS NULL THEN NULL ELSE h.id END AS community_id
OPTIONAL MATCH (f)-[:FUNDS]->(p:Project)-[:RUNS_IN]->(:Community)-[:PART_OF]->(pt:Township)
RETURN f.id AS foundation_id, f.name AS name, f.kind AS kind, f.assets AS assets,
       community_id, township_id, count(DISTINCT p) AS projects_total,
       count(DISTINCT CASE WHEN pt.id = township_id THEN p.id END) AS projects_local
ORDER BY foundation_id
