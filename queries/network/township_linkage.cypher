// title: 乡镇(街道)联动子图 | Township linkage subgraph
// description: 某乡镇(街道)各社区在年份范围内实施的项目、参与主体及其角色、项目所在社区,以及志愿者所属队伍;返回节点与关系,供网络图使用。 | The projects run in a township's communities within a year range, the actors taking roles on them, the community each runs in and the volunteers' teams; returns nodes and relationships for the network map.
// params: township_id:str, year_from:int=1900, year_to:int=2100, limit:int=50000
// backends: ladybug, neo4j
MATCH (p:Project)-[rp:RUNS_IN]->(c:Community)-[:PART_OF]->(t:Township {id: $township_id})
WHERE p.year >= $year_from AND p.year <= $year_to
MATCH (a)-[r:INITIATED|LEADS|DELIVERS|SERVES_IN|FUNDS]->(p)
OPTIONAL MATCH (a)-[m:MEMBER_OF]->(team:Organization)
RETURN a, r, p, rp, c, m, team
LIMIT $limit
