// title: 五社要素数量 | Counts of the five elements
// description: 给定社区范围内的社区数,以及驻在或服务这些社区的社会组织、在这些社区任职的社会工作者、居住在这些社区的志愿者、驻在这些社区的慈善资源数(各自去重)。 | For the given communities: how many communities, and (each counted once) the organizations based in or serving them, social workers working at them, volunteers living in them and charity resources based in them.
// params: communities:list
// backends: ladybug, neo4j
// The communities are joined on the id index (UNWIND, then MATCH {id}): `c.id IN $list`
// tests every community against the whole list (5 s for a province's 23,000).
UNWIND $communities AS cid MATCH (c:Community {id: cid})
RETURN 'community' AS element, count(DISTINCT c) AS n
UNION ALL
UNWIND $communities AS cid MATCH (o:Organization)-[:BASED_IN|SERVES]->(:Community {id: cid})
RETURN 'organization' AS element, count(DISTINCT o) AS n
UNION ALL
UNWIND $communities AS cid MATCH (w:SocialWorker)-[:WORKS_AT]->(:Community {id: cid})
RETURN 'worker' AS element, count(DISTINCT w) AS n
UNION ALL
UNWIND $communities AS cid MATCH (v:Volunteer)-[:LIVES_IN]->(:Community {id: cid})
RETURN 'volunteer' AS element, count(DISTINCT v) AS n
UNION ALL
UNWIND $communities AS cid MATCH (f:Foundation)-[:BASED_IN]->(:Community {id: cid})
RETURN 'charity' AS element, count(DISTINCT f) AS n
