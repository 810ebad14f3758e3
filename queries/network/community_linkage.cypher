// title: 社区联动子图 | Community linkage subgraph
// description: 某社区在年份范围内实施的项目、参与项目的主体及其角色(发起、牵头、承接、参与服务、资助)、项目回应的需求,以及志愿者所属队伍;返回节点与关系,供网络图使用。 | The projects run in a community within a year range, the actors taking roles on them (initiated, leads, delivers, serves in, funds), the needs they address and the volunteers' teams; returns nodes and relationships for the network map.
// params: community_id:str, year_from:int=1900, year_to:int=2100, limit:int=20000
// backends: ladybug, neo4j
MATCH (p:Project)-[rp:RUNS_IN]->(c:Community {id: $community_id})
WHERE p.year >= $year_from AND p.year <= $year_to
MATCH (a)-[r:INITIATED|LEADS|DELIVERS|SERVES_IN|FUNDS]->(p)
OPTIONAL MATCH (a)-[m:MEMBER_OF]->(team:Organization)
OPTIONAL MATCH (p)-[ad:ADDRESSES]->(n:Need)
RETURN a, r, p, rp, c, m, team, ad, n
LIMIT $limit
