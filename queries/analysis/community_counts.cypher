// title: 各社区五社要素计数 | Element counts per community
// description: 每个社区的党组织(含大党委)、服务本社区的社会组织、社区社会工作者(含持证)、驻在慈善资源与社区发展基金会、待回应需求数。 | Per community: Party committees (and big committees), organizations serving it, social workers working there (and certified), charity resources based there (and community foundations), open needs no project addresses.
// params:
// backends: ladybug, neo4j
MATCH (c:Community)
OPTIONAL MATCH (pc:PartyCommittee)-[:LEADS]->(c)
WITH c, count(DISTINCT pc) AS party_committees,
     count(DISTINCT CASE WHEN pc.is_big_committee THEN pc.id END) AS big_committees
OPTIONAL MATCH (o:Organization)-[:SERVES]->(c)
WITH c, party_committees, big_committees, count(DISTINCT o) AS orgs_serving,
     count(DISTINCT CASE WHEN o.is_volunteer_service AND o.active_months_12m >= 3 THEN o.id END) AS active_volunteer_orgs_serving
OPTIONAL MATCH (w:SocialWorker)-[:WORKS_AT]->(c)
WITH c, party_committees, big_committees, orgs_serving, active_volunteer_orgs_serving,
     count(DISTINCT w) AS workers,
     count(DISTINCT CASE WHEN w.certificate <> 'none' THEN w.id END) AS certified_worker_nodes,
     count(DISTINCT CASE WHEN w.role = 'community_worker' THEN w.id END) AS community_worker_nodes,
     count(DISTINCT CASE WHEN w.role = 'community_worker' AND w.certificate <> 'none' THEN w.id END) AS certified_community_worker_nodes
OPTIONAL MATCH (f:Foundation)-[:BASED_IN]->(c)
WITH c, party_committees, big_committees, orgs_serving, active_volunteer_orgs_serving, workers,
     certified_worker_nodes, community_worker_nodes, certified_community_worker_nodes,
     count(DISTINCT f) AS foundations,
     count(DISTINCT CASE WHEN f.kind = 'community_foundation' THEN f.id END) AS community_foundations
OPTIONAL MATCH (n:Need)-[:RAISED_IN]->(c)
WHERE n.status <> 'met' AND NOT EXISTS { MATCH (:Project)-[:ADDRESSES]->(n) }
RETURN c.id AS community_id, party_committees, big_committees, orgs_serving,
       active_volunteer_orgs_serving, workers, certified_worker_nodes, community_worker_nodes,
       certified_community_worker_nodes, foundations,
       community_foundations, count(DISTINCT n) AS unmet_needs
ORDER BY community_id
