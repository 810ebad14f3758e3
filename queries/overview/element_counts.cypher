// title: 五社要素数量 | Counts of the five elements
// description: 给定社区范围内的社区数,以及驻在或服务这些社区的社会组织、在这些社区任职的社会工作者、居住在这些社区的志愿者、驻在这些社区的慈善资源数(各自去重)。 | For the given communities: how many communities, and (each counted once) the organizations based in or serving them, social workers working at them, volunteers living in them and charity resources based in them.
// params: communities:list
// backends: ladybug, neo4j
MATCH (c:Community) WHERE c.id IN $communities
RETURN 'community' AS element, count(DISTINCT c) AS n
UNION ALL
MATCH (o:Organization)-[:BASED_IN|SERVES]->(c:Community) WHERE c.id IN $communities
RETURN 'organization' AS element, count(DISTINCT o) AS n
UNION ALL
MATCH (w:SocialWorker)-[:WORKS_AT]->(c:Community) WHERE c.id IN $communities
RETURN 'worker' AS element, count(DISTINCT w) AS n
UNION ALL
MATCH (v:Volunteer)-[:LIVES_IN]->(c:Community) WHERE c.id IN $communities
RETURN 'volunteer' AS element, count(DISTINCT v) AS n
UNION ALL
MATCH (f:Foundation)-[:BASED_IN]->(c:Community) WHERE c.id IN $communities
RETURN 'charity' AS element, count(DISTINCT f) AS n
