// title: 社区的关联主体 | A community's actors
// description: 与某社区直接相连的全部主体及关系类型(党组织、社会组织、社工、志愿者、慈善资源、项目、需求)。 | Every actor directly linked to one community, with the relationship type.
// params: community_id:str, limit:int=500
// backends: ladybug, neo4j
MATCH (c:Community {id: $community_id})<-[r]-(a)
RETURN head(labels(a)) AS label, a.id AS id, a.name AS name, type(r) AS relation
ORDER BY label, id, relation
LIMIT $limit
