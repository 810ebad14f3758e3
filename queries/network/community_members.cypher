// title: 社区驻在与服务主体子图 | Community members subgraph
// description: 驻在、服务、任职或居住于某社区的主体及领导该社区的党组织(含未参与任何项目的闲置主体),以及志愿者所属队伍;返回节点与关系,供网络图使用。 | The actors based in, serving, working at or living in a community and the Party committee leading it (including idle actors with no project), with the volunteers' teams; returns nodes and relationships for the network map.
// params: community_id:str, limit:int=20000
// backends: ladybug, neo4j
MATCH (a)-[r:BASED_IN|SERVES|WORKS_AT|LIVES_IN|LEADS]->(c:Community {id: $community_id})
OPTIONAL MATCH (a)-[m:MEMBER_OF]->(team:Organization)
RETURN a, r, c, m, team
LIMIT $limit
