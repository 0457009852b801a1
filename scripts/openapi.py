#!/usr/bin/env python3
"""Writes the HTTP service's OpenAPI 3 document, Sources/TramaServer/Embedded/openapi.json.

The document is the service's contract: a test compares its operations with the
routes the server registers, and scripts/api-check runs schemathesis against a live
server with it (zero 5xx, every response matching its schema). Edit this script,
run it, commit both.

Usage: scripts/openapi.py
"""
import json
import os

ERROR_STATUSES = {
    "400": "Malformed request: a query parameter or body that does not parse",
    "401": "No token, or a token that is not valid",
    "403": "A token whose role may not do this",
    "404": "Unknown, or hidden from this reader",
    "409": "Conflict with what is stored",
    "413": "Body too large",
    "415": "A body of a kind this route does not take",
    "422": "Invalid input: the error names what to fix",
    "500": "The store or a render failed",
    "503": "Busy: a write in progress, or the render queue full",
    "504": "A render past its deadline",
}


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema):
    return dict(schema, nullable=True)


STRING = {"type": "string"}
INT = {"type": "integer"}
NUMBER = {"type": "number"}
BOOL = {"type": "boolean"}


def array(items):
    return {"type": "array", "items": items}


def obj(properties, required=None, additional=None):
    schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    if additional is not None:
        schema["additionalProperties"] = additional
    return schema


def strings_map(values=STRING):
    return {"type": "object", "additionalProperties": values}


SCHEMAS = {
    "Error": obj({"error": obj({"code": STRING, "message": STRING}, ["code", "message"], STRING)}, ["error"]),
    "GraphInfo": obj({"name": STRING, "actors": INT, "relations": INT, "changes": INT, "created_at": STRING, "last_change_at": STRING},
                     ["name", "actors", "relations", "changes", "created_at"]),
    "GraphList": obj({"graphs": array(ref("GraphInfo"))}, ["graphs"]),
    "GraphDeleted": obj({"deleted": ref("GraphInfo")}, ["deleted"]),
    "NewGraph": obj({"name": STRING}, ["name"]),
    "Summary": obj({
        "graph": STRING, "actors": INT, "relations": INT, "actors_by_kind": strings_map(INT), "actors_by_territory": strings_map(INT),
        "relations_by_type": strings_map(INT), "relations_by_status": strings_map(INT), "isolated": array(STRING),
    }, ["graph", "actors", "relations", "actors_by_kind", "actors_by_territory", "relations_by_type", "relations_by_status", "isolated"]),
    "ChangeRecord": obj({"id": INT, "at": STRING, "author": STRING, "command": STRING, "summary": STRING, "kind": STRING},
                        ["id", "at", "author", "command", "summary"]),
    "FieldChange": obj({"field": STRING, "old": nullable(STRING), "new": nullable(STRING)}, ["field"]),
    "ActorChange": obj({"id": STRING, "name": STRING, "kind": STRING, "action": {"type": "string", "enum": ["added", "removed", "changed"]},
                        "fields": array(ref("FieldChange"))}, ["id", "name", "kind", "action", "fields"]),
    "RelationChange": obj({"id": INT, "from": STRING, "to": STRING, "type": STRING,
                           "action": {"type": "string", "enum": ["added", "removed", "changed"]}, "fields": array(ref("FieldChange"))},
                          ["id", "from", "to", "type", "action", "fields"]),
    "ChangeDetail": obj({"id": INT, "at": STRING, "author": STRING, "command": STRING, "summary": STRING, "kind": STRING,
                         "reverts": array(INT), "reverted_by": array(INT), "actors": array(ref("ActorChange")),
                         "relations": array(ref("RelationChange")), "settings": array(STRING), "actors_total": INT, "relations_total": INT},
                        ["id", "at", "author", "command", "summary", "reverts", "reverted_by", "actors", "relations", "settings",
                         "actors_total", "relations_total"]),
    "ChangeLog": obj({"graph": STRING, "changes": array(ref("ChangeDetail"))}, ["graph", "changes"]),
    "Snapshot": obj({"name": STRING, "change": INT, "note": STRING, "author": STRING, "created_at": STRING},
                    ["name", "author", "created_at"]),
    "SnapshotList": obj({"graph": STRING, "snapshots": array(ref("Snapshot"))}, ["graph", "snapshots"]),
    "NewSnapshot": obj({"name": {"type": "string", "pattern": "^[A-Za-z][A-Za-z0-9._-]{0,99}$", "example": "inizio-lab"},
                        "note": {"type": "string", "maxLength": 1000}, "as_of": STRING}, ["name"]),
    "UndoRequest": obj({"count": {"type": "integer", "minimum": 1}, "change": INT}),
    "Undo": obj({"change": ref("ChangeSummary"), "undone": array(ref("ChangeRecord"))}, ["change", "undone"]),
    "DiffSide": obj({"as_of": STRING, "change": INT, "on": STRING}),
    "Shift": obj({"old": nullable(NUMBER), "new": nullable(NUMBER)}),
    "TextShift": obj({"old": nullable(STRING), "new": nullable(STRING)}),
    "Movement": obj({"id": STRING, "name": STRING, "kind": STRING, "degree": ref("Shift"), "betweenness": ref("Shift"),
                     "constraint": ref("Shift"), "role": ref("TextShift"), "community": ref("TextShift")},
                    ["id", "name", "kind", "degree", "betweenness", "constraint", "role", "community"]),
    "Diff": obj({
        "graph": STRING, "from": ref("DiffSide"), "to": ref("DiffSide"),
        "actors": obj({k: array(ref("ActorChange")) for k in ["added", "removed", "changed"]}, ["added", "removed", "changed"]),
        "relations": obj({k: array(ref("RelationChange")) for k in ["added", "removed", "changed"]}, ["added", "removed", "changed"]),
        "metrics": array(ref("Movement")),
        "gaps": obj({"opened": array(ref("Finding")), "closed": array(ref("Finding"))}, ["opened", "closed"]),
        "note": STRING, "names": strings_map(),
    }, ["graph", "from", "to", "actors", "relations", "names"]),
    "Actor": obj({
        "id": STRING, "name": STRING, "kind": STRING, "territory": nullable(STRING), "themes": array(STRING), "tags": array(STRING),
        "url": nullable(STRING), "description": nullable(STRING), "attributes": strings_map(), "private": BOOL,
    }, ["id", "name", "kind", "themes", "tags", "attributes", "private"]),
    "ActorList": obj({"actors": array(ref("Actor"))}, ["actors"]),
    "RelationRecord": obj({
        "id": INT, "from": STRING, "to": STRING, "type": STRING, "strength": nullable(NUMBER), "since": nullable(STRING),
        "until": nullable(STRING), "status": {"type": "string", "enum": ["active", "planned", "potential", "ended"]},
        "description": nullable(STRING), "evidence": nullable(STRING), "tags": array(STRING), "attributes": strings_map(), "private": BOOL,
        "asserted_by": nullable(STRING), "asserted_in": nullable(STRING), "asserted_at": nullable(STRING),
    }, ["id", "from", "to", "type", "status", "tags", "attributes", "private"]),
    "RelationList": obj({"relations": array(ref("RelationRecord"))}, ["relations"]),
    "ActorDetail": obj({"actor": ref("Actor"), "relations": array(ref("RelationRecord")), "names": strings_map(STRING)},
                       ["actor", "relations", "names"]),
    "ActorFields": obj({
        "name": STRING, "kind": STRING, "territory": STRING, "themes": array(STRING), "tags": array(STRING), "url": STRING,
        "description": STRING, "attributes": strings_map(nullable(STRING)), "private": BOOL,
    }),
    "NewActor": {"allOf": [obj({"id": STRING}), ref("ActorFields")]},
    "RelationFields": obj({
        "strength": NUMBER, "since": STRING, "until": STRING, "status": STRING, "description": STRING, "evidence": STRING,
        "tags": array(STRING), "attributes": strings_map(nullable(STRING)), "private": BOOL, "asserted_by": STRING,
        "asserted_in": STRING, "asserted_at": STRING,
    }),
    "NewRelation": {"allOf": [obj({"from": STRING, "to": STRING, "type": STRING}, ["from", "to", "type"]), ref("RelationFields")]},
    "ChangeSummary": obj({
        "graph": STRING, "change": INT, "created_graph": BOOL, "actors_added": INT, "actors_updated": INT, "actors_removed": INT,
        "actors_unchanged": INT, "relations_added": INT, "relations_updated": INT, "relations_removed": INT, "relations_unchanged": INT,
        "note": STRING, "relation": INT, "dry_run": BOOL,
        "reverted_edits": array(obj({"item": STRING, "id": STRING, "action": STRING, "change": INT, "author": STRING, "at": STRING,
                                     "fields": array(ref("FieldChange"))}, ["item", "id", "action", "change", "author", "at", "fields"])),
        "detail": ref("ChangeDetail"), "warnings": array(STRING),
    }, ["graph", "created_graph", "actors_added", "actors_updated", "actors_removed", "actors_unchanged", "relations_added",
        "relations_updated", "relations_removed", "relations_unchanged"]),
    "KindDefinition": obj({"name": STRING, "label": STRING, "label_it": STRING, "person": BOOL, "third_sector": BOOL},
                          ["name", "label", "label_it", "person"]),
    "RelationTypeDefinition": obj({
        "name": STRING, "directed": BOOL, "source_kinds": array(STRING), "target_kinds": array(STRING), "label": STRING, "label_it": STRING,
    }, ["name", "directed", "label", "label_it"]),
    "Vocabulary": obj({"kinds": array(ref("KindDefinition")), "relation_types": array(ref("RelationTypeDefinition"))},
                      ["kinds", "relation_types"]),
    "Requirement": obj({"kinds": array(STRING), "count": INT}, ["kinds", "count"]),
    "AllianceRules": obj({"requirements": array(ref("Requirement"))}, ["requirements"]),
    "ActorValue": obj({"id": STRING, "name": STRING, "kind": STRING, "territory": STRING, "value": nullable(NUMBER)}, ["id", "name", "kind"]),
    "PerActor": obj({
        "metric": STRING, "values": array(ref("ActorValue")),
        "estimate": obj({"samples": INT, "epsilon": NUMBER, "delta": NUMBER, "bound": NUMBER}, ["samples", "epsilon", "delta", "bound"]),
    }, ["metric", "values"]),
    "NetworkSummary": obj({
        "metric": STRING, "actors": INT, "relations": INT, "directed": BOOL, "density": NUMBER, "components": INT, "largest_component": INT,
        "diameter": NUMBER, "average_path_length": NUMBER, "path_lengths_sampled": BOOL, "average_clustering": NUMBER,
        "reciprocity": NUMBER,
    }, ["metric", "actors", "relations", "directed", "density", "components", "largest_component"]),
    "Components": obj({"metric": STRING, "components": array(array(STRING)), "names": strings_map()}, ["metric", "components", "names"]),
    "Communities": obj({
        "metric": STRING, "algorithm": STRING, "modularity": NUMBER, "count": INT, "communities": array(array(STRING)), "names": strings_map(),
    }, ["metric", "algorithm", "modularity", "count", "communities", "names"]),
    "Bridges": obj({"metric": STRING, "bridges": array(array(STRING)), "names": strings_map()}, ["metric", "bridges", "names"]),
    "ArticulationPoints": obj({"metric": STRING, "ids": array(STRING), "actors": array(ref("ActorValue"))}, ["metric", "ids", "actors"]),
    "GroupFigure": obj({"metric": STRING, "group_by": STRING, "value": nullable(NUMBER), "groups": INT}, ["metric", "group_by", "groups"]),
    "Projection": obj({"metric": STRING, "ties": array(obj({"a": STRING, "b": STRING, "projects": INT}, ["a", "b", "projects"])),
                       "names": strings_map()}, ["metric", "ties", "names"]),
    "Brokerage": obj({
        "metric": STRING, "group_by": STRING,
        "values": array(obj({"id": STRING, "name": STRING, "group": STRING, "role": STRING, "roles": strings_map(nullable(NUMBER)),
                             "expected": strings_map(nullable(NUMBER)), "z": strings_map(nullable(NUMBER))},
                            ["id", "name", "group", "roles", "expected", "z"])),
        "network": obj({"roles": strings_map(nullable(NUMBER)), "expected": strings_map(nullable(NUMBER)),
                        "z": strings_map(nullable(NUMBER))}, ["roles", "expected", "z"]),
    }, ["metric", "group_by", "values", "network"]),
    "Analysis": {"anyOf": [ref(n) for n in ["PerActor", "NetworkSummary", "Components", "Communities", "Bridges", "ArticulationPoints",
                                             "GroupFigure", "Projection", "Brokerage"]]},
    "Finding": obj({
        "code": STRING, "severity": {"type": "string", "enum": ["high", "medium", "low"]},
        "subject": obj({"territory": STRING, "actors": array(STRING), "relations": array(array(STRING))}, ["actors", "relations"]),
        "reason": STRING, "action": STRING,
    }, ["code", "severity", "subject", "reason", "action"]),
    "Gaps": obj({"findings": array(ref("Finding"))}, ["findings"]),
    "Candidate": obj({"id": STRING, "name": STRING, "kind": STRING, "score": NUMBER, "reasons": array(STRING)},
                     ["id", "name", "kind", "score", "reasons"]),
    "Recommendations": obj({"actor": STRING, "candidates": array(ref("Candidate"))}, ["actor", "candidates"]),
    "Coalition": obj({"members": array(STRING), "cohesion": NUMBER, "missing": array(STRING), "complete_with": array(STRING),
                      "notes": array(STRING)}, ["members", "cohesion", "missing", "complete_with", "notes"]),
    "LeftOutGroup": obj({"members": array(STRING), "reason": STRING}, ["members", "reason"]),
    "Coalitions": obj({"coalitions": array(ref("Coalition")), "left_out": array(ref("LeftOutGroup")), "names": strings_map()},
                      ["coalitions", "left_out", "names"]),
}


def param(name, where="query", schema=STRING, description="", required=False, example=None, explode=None):
    p = {"name": name, "in": where, "schema": schema, "required": required or where == "path"}
    if description:
        p["description"] = description
    if example is not None:
        p["example"] = example
    if explode is not None:
        p["explode"] = explode
    return p


GRAPH = param("graph", "path", description="The graph's name", example="talents4coop")
AS_OF = param("as_of", description="Read as the store knew it then: 2026-11-30, 2026-11-30T10:15:00+01:00, change:ID")
PUBLIC = param("public", schema=BOOL, description="Only what a public reader may see")
ON = param("on", description="The network in the world on a date (2022-03-15), month (2022-03) or year (2022), by the relations' dates")
LANG = param("lang", schema={"type": "string", "enum": ["en", "it"]})
TOP = param("top", schema=INT, description="Only the first N")
TERRITORY = param("territory", description="A territory's path, or its unique last part")
LIST = {"type": "array", "items": STRING}
FILTERS = [
    param("type", schema=LIST, description="Relation types (repeat)"),
    param("status", schema=LIST, description="active, planned, potential, ended (repeat)"),
    TERRITORY,
    param("kind", schema=LIST, description="Actor kinds (repeat)"),
    param("undirected", schema=BOOL), param("weighted", schema=BOOL),
]
TIE_STATUS = param("status", schema=LIST, description="Relations with these statuses count as ties (repeat): active, planned, potential, "
                                                      "ended; default active only, the others reported as opportunities and losses")
METRICS = ["degree", "in-degree", "out-degree", "strength", "reach", "betweenness", "closeness", "harmonic", "eigenvector", "pagerank",
           "core", "clustering", "constraint", "effective-size", "efficiency", "summary", "components", "bridges", "articulation-points",
           "ei-index", "assortativity", "communities", "projection", "brokerage"]


def json_response(schema, description="OK"):
    return {"description": description, "content": {"application/json": {"schema": ref(schema)}}}


def operation(summary, parameters, ok, errors, body=None, ok_status="200"):
    op = {"summary": summary, "parameters": parameters, "responses": {ok_status: ok}}
    for status in errors:
        op["responses"][status] = {"description": ERROR_STATUSES[status], "content": {"application/json": {"schema": ref("Error")}}}
    if body:
        op["requestBody"] = body
    op["security"] = [{"bearer": []}, {}]
    return op


def json_body(schema):
    return {"required": True, "content": {"application/json": {"schema": ref(schema)}}}


READ = ["400", "401", "403", "404", "422", "500", "503"]
WRITE = ["400", "401", "403", "404", "409", "413", "422", "500", "503"]

PATHS = {
    "/health": {"get": dict(operation("Is the service up", [], {"description": "Up", "content": {"application/json": {
        "schema": obj({"status": STRING}, ["status"])}}}, []), security=[{}])},
    "/v1/graphs": {
        "get": operation("The graphs this reader may see", [], json_response("GraphList"), ["401", "500", "503"]),
        "post": operation("Create an empty graph (admin)", [], json_response("GraphInfo", "Created"), WRITE, json_body("NewGraph"), "201"),
    },
    "/v1/graphs/{graph}": {
        "delete": operation("Delete a graph and its history (admin); one that holds actors only with force=true",
                            [GRAPH, param("force", schema=BOOL)], json_response("GraphDeleted"), WRITE),
    },
    "/v1/graphs/{graph}/summary": {"get": operation("Actors by kind and territory, relations by type and status",
                                                    [GRAPH, AS_OF, ON, PUBLIC], json_response("Summary"), READ)},
    "/v1/graphs/{graph}/log": {"get": operation(
        "The change log with what each change set did (a token is needed)",
        [GRAPH, AS_OF, PUBLIC, param("change", schema=INT, description="Only this change set"),
         param("last", schema={"type": "integer", "minimum": 1}, description="Only the last N change sets"),
         param("limit", schema={"type": "integer", "minimum": 0, "maximum": 1000}, description="Items listed per change set (default 50)")],
        json_response("ChangeLog"), READ)},
    "/v1/graphs/{graph}/snapshots": {
        "get": operation("The graph's named moments", [GRAPH], json_response("SnapshotList"), READ),
        "post": operation("Name the graph's current moment (editor)", [GRAPH], json_response("Snapshot", "Created"), WRITE,
                          json_body("NewSnapshot"), "201"),
    },
    "/v1/graphs/{graph}/snapshots/{name}": {
        "delete": operation("Delete a snapshot (editor)", [GRAPH, param("name", "path", example="inizio-lab")], json_response("Snapshot"),
                            WRITE),
    },
    "/v1/graphs/{graph}/undo": {
        "post": operation("Undo the last change sets still in effect, or a given one, as a new change set (editor)", [GRAPH],
                          json_response("Undo"), WRITE, json_body("UndoRequest")),
    },
    "/v1/graphs/{graph}/diff": {
        "get": operation("What changed between two moments (from, to) or two dates in the world (from_on, to_on)",
                         [GRAPH, param("from", description="A moment: a snapshot, a date, change:ID"), param("to"),
                          param("from_on", description="A date in the world: 2021, 2022-03, 2022-03-15"), param("to_on"),
                          param("metrics", schema=BOOL), param("gaps", schema=BOOL), TOP, LANG, PUBLIC],
                         json_response("Diff"), READ),
    },
    "/v1/graphs/{graph}/vocabulary": {"get": operation("Kinds and relation types", [GRAPH, AS_OF], json_response("Vocabulary"), READ)},
    "/v1/graphs/{graph}/rules": {"get": operation("What an alliance needs", [GRAPH, AS_OF], json_response("AllianceRules"), READ)},
    "/v1/graphs/{graph}/actors": {
        "get": operation("Actors, by kind and territory", [GRAPH, AS_OF, ON, PUBLIC, param("kind", schema=LIST), TERRITORY],
                         json_response("ActorList"), READ),
        "post": operation("Add an actor (editor)", [GRAPH], json_response("ChangeSummary", "Created"), WRITE, json_body("NewActor"), "201"),
    },
    "/v1/graphs/{graph}/actors/{id}": {
        "get": operation("An actor and its relations", [GRAPH, param("id", "path", example="heron"), AS_OF, ON, PUBLIC],
                         json_response("ActorDetail"), READ),
        "patch": operation("Change an actor's fields (editor); fields not given stay", [GRAPH, param("id", "path", example="heron")],
                           json_response("ChangeSummary"), WRITE, json_body("ActorFields")),
        "delete": operation("Remove an actor (editor); with relations only with cascade=true",
                            [GRAPH, param("id", "path", example="heron"), param("cascade", schema=BOOL)], json_response("ChangeSummary"),
                            WRITE),
    },
    "/v1/graphs/{graph}/relations": {
        "get": operation("Relations, by type, kind, territory or actor",
                         [GRAPH, AS_OF, ON, PUBLIC, param("type", schema=LIST), param("kind", schema=LIST), TERRITORY, param("actor")],
                         json_response("RelationList"), READ),
        "post": operation("Add a relation (editor)", [GRAPH], json_response("ChangeSummary", "Created"), WRITE, json_body("NewRelation"),
                          "201"),
    },
    "/v1/graphs/{graph}/relations/{id}": {
        "get": operation("A relation by its stable id (the r-ID of its group on a map)",
                         [GRAPH, param("id", "path", example="1"), AS_OF, ON, PUBLIC], json_response("RelationRecord"), READ),
        "patch": operation("Change a relation's fields (editor); its ends and type stay", [GRAPH, param("id", "path", example="1")],
                           json_response("ChangeSummary"), WRITE, json_body("RelationFields")),
        "delete": operation("Remove a relation (editor)", [GRAPH, param("id", "path", example="1")], json_response("ChangeSummary"), WRITE),
    },
    "/v1/graphs/{graph}/import": {
        "post": operation("Import the two CSV sheets (multipart/form-data), or one JSON, GraphML or GEXF document (editor); all or nothing",
                          [GRAPH, param("dry_run", schema=BOOL, description="Say what it would do, write nothing"),
                           param("strict", schema=BOOL, description="Refuse to revert edits made since the last import"),
                           param("details", schema=BOOL, description="List each actor and relation touched"),
                           param("limit", schema={"type": "integer", "minimum": 0, "maximum": 10000})],
                          json_response("ChangeSummary"), WRITE + ["415"], {
                              "required": True, "content": {
                                  "multipart/form-data": {"schema": obj({"actors": {"type": "string", "format": "binary"},
                                                                         "relations": {"type": "string", "format": "binary"}})},
                                  "application/json": {"schema": {"type": "object"}},
                              }}),
    },
    "/v1/graphs/{graph}/export": {
        "get": operation("The graph as JSON, GraphML, GEXF, DOT, or one CSV sheet",
                         [GRAPH, AS_OF, ON, PUBLIC, param("format", schema={"type": "string", "enum": ["json", "graphml", "gexf", "dot", "csv"]}),
                          param("sheet", schema={"type": "string", "enum": ["actors", "relations"]}),
                          param("excel", schema={"type": "boolean"}), LANG],
                         {"description": "The file", "content": {
                             "application/json": {"schema": {"type": "object"}}, "application/graphml+xml": {"schema": STRING},
                             "application/gexf+xml": {"schema": STRING}, "text/vnd.graphviz": {"schema": STRING}, "text/csv": {"schema": STRING}}},
                         READ),
    },
    "/v1/graphs/{graph}/analyses/{metric}": {
        "get": operation("An analysis: the JSON of `trama analyze METRIC --json`",
                         [GRAPH, param("metric", "path", {"type": "string", "enum": METRICS}, example="degree"), AS_OF, ON, PUBLIC, TOP, *FILTERS,
                          param("alpha", schema=NUMBER), param("tolerance", schema=NUMBER), param("epsilon", schema=NUMBER),
                          param("delta", schema=NUMBER), param("algorithm", schema={"type": "string", "enum": ["louvain", "leiden"]}),
                          param("resolution", schema=NUMBER), param("seed", schema={"type": "integer", "minimum": 0}),
                          param("group_by", schema={"type": "string", "enum": ["territory", "kind"]}), param("level", schema=INT)],
                         json_response("Analysis"), READ),
    },
    "/v1/graphs/{graph}/gaps": {
        "get": operation("What the territorial alliances lack", [GRAPH, AS_OF, ON, PUBLIC, TERRITORY, param("theme"), param("stale_after"), LANG, TOP,
                                                                 TIE_STATUS, param("level", schema={"type": "integer", "minimum": 1, "maximum": 3},
                                                                                   description="Alliances read at: 1 region, 2 province (default), 3 municipality")],
                         json_response("Gaps"), READ),
    },
    "/v1/graphs/{graph}/recommendations/{actor}": {
        "get": operation("Partners an actor is not tied to yet, with reasons",
                         [GRAPH, param("actor", "path", example="heron"), AS_OF, ON, PUBLIC, TOP, param("kind"), param("weights"), LANG, TIE_STATUS],
                         json_response("Recommendations"), READ),
    },
    "/v1/graphs/{graph}/coalitions": {
        "get": operation("Groups tied together that meet a composition",
                         [GRAPH, AS_OF, ON, PUBLIC, TERRITORY, param("theme"), param("require", schema=LIST), param("max_size", schema=INT), TOP,
                          LANG, TIE_STATUS], json_response("Coalitions"), READ),
    },
    "/": {"get": dict(operation("The page: the map, its panels, lab mode", [], {"description": "The page", "content": {
        "text/html": {"schema": STRING}}}, []), security=[{}])},
    "/page/app.js": {"get": dict(operation("The page's script", [], {"description": "JavaScript", "content": {
        "text/javascript": {"schema": STRING}}}, []), security=[{}])},
    "/page/style.css": {"get": dict(operation("The page's style", [], {"description": "CSS", "content": {
        "text/css": {"schema": STRING}}}, []), security=[{}])},
    "/v1/token": {"get": operation("Who the bearer of this token is", [], {"description": "The token's graph and role", "content": {
        "application/json": {"schema": obj({"graph": STRING, "role": {"type": "string", "enum": ["viewer", "editor", "admin"]},
                                             "see_private": BOOL}, ["graph", "role", "see_private"])}}}, ["401", "500", "503"])},
    "/openapi.json": {"get": dict(operation("This document", [], {"description": "The document", "content": {
        "application/json": {"schema": {"type": "object"}}}}, []), security=[{}])},
}

MAP_PARAMETERS = [GRAPH, AS_OF, ON, PUBLIC, param("view", description="whole, territory:NAME, ego:ID[:RADIUS], actors:ID,ID…, community:N"),
                  *FILTERS, param("layout", schema={"type": "string", "enum": ["sfdp", "fdp", "neato", "dot", "circo", "twopi"]}),
                  param("size_by", schema={"type": "string", "enum": METRICS}),
                  param("color_by", schema={"type": "string", "enum": ["kind", "territory", "community"]}),
                  param("clusters", schema=BOOL), param("overlay", schema={"type": "string", "enum": ["gaps"]}), LANG,
                  param("title", schema={"type": "string", "maxLength": 200}), param("date", schema={"type": "string", "maxLength": 40}),
                  param("legend", schema=BOOL), param("lab", schema=BOOL, description="For a projector: larger labels"),
                  param("diff_from", description="Draw what changed since this moment (a snapshot, a date, change:ID) on one layout"),
                  param("diff_to", description="The later moment of such a map (default now)"),
                  param("relayout", schema=BOOL, description="Lay the view out anew, not on the positions its last map kept")]
for fmt, media in [("svg", "image/svg+xml"), ("png", "image/png"), ("pdf", "application/pdf")]:
    PATHS[f"/v1/graphs/{{graph}}/map.{fmt}"] = {
        "get": operation(f"A map of the graph as {fmt.upper()}, drawn by Graphviz in a worker process", MAP_PARAMETERS,
                         {"description": "The map", "content": {media: {"schema": {"type": "string", "format": "binary"}}}},
                         READ + ["413", "504"]),
    }

DOCUMENT = {
    "openapi": "3.0.3",
    "info": {"title": "Trama", "version": "1",
             "description": "The alliance networks of a territory's social economy: graphs, actors, relations, analyses, gaps, "
                            "partners, coalitions and maps. Every answer is the JSON `trama … --json` prints. Reads take `as_of`; "
                            "tokens go in `Authorization: Bearer TOKEN` (`trama token create`)."},
    "servers": [{"url": "http://127.0.0.1:8080"}],
    "paths": PATHS,
    "components": {"schemas": SCHEMAS, "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
}

if __name__ == "__main__":
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Sources", "TramaServer", "Embedded", "openapi.json")
    with open(out, "w") as f:
        json.dump(DOCUMENT, f, indent=2, sort_keys=True)
        f.write("\n")
    print(f"wrote {os.path.relpath(out)}: {sum(len(v) for v in PATHS.values())} operations")
