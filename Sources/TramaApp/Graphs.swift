import Foundation
import TramaModel
import TramaStore

public struct GraphList: Codable, Sendable {
    public var graphs: [GraphInfo]

    public init(graphs: [GraphInfo]) { self.graphs = graphs }
}

public struct GraphDeletion: Codable, Sendable, Hashable {
    public var graph: String
    /// Delete it even if it still holds actors.
    public var force: Bool?

    public init(graph: String, force: Bool? = nil) {
        self.graph = graph
        self.force = force
    }
}

public struct GraphDeleted: Codable, Sendable {
    /// What the graph held when it was deleted.
    public var deleted: GraphInfo
}

/// A graph's make-up at one version: actors by kind and territory, relations by type and status.
public struct GraphSummary: Codable, Sendable {
    public var graph: String
    public var actors: Int
    public var relations: Int
    public var actorsByKind: [String: Int]
    public var actorsByTerritory: [String: Int]
    public var relationsByType: [String: Int]
    public var relationsByStatus: [String: Int]
    /// Actors with no relation.
    public var isolated: [String]

    enum CodingKeys: String, CodingKey {
        case graph, actors, relations, isolated
        case actorsByKind = "actors_by_kind"
        case actorsByTerritory = "actors_by_territory"
        case relationsByType = "relations_by_type"
        case relationsByStatus = "relations_by_status"
    }
}

/// A read of one graph at one version, with nothing else to say.
public struct GraphRead: Codable, Sendable, Hashable {
    public var graph: String?
    public var asOf: Moment?
    /// The network on a date in the world: relations not in force then are left out.
    public var on: WorldDate?
    public var `public`: Bool?

    public init(graph: String? = nil, asOf: Moment? = nil, on: WorldDate? = nil, public: Bool? = nil) {
        self.graph = graph
        self.asOf = asOf
        self.on = on
        self.public = `public`
    }

    enum CodingKeys: String, CodingKey {
        case graph
        case asOf = "as_of"
        case on
        case `public`
    }
}

public struct ChangeLog: Codable, Sendable {
    public var changes: [ChangeRecord]
}

extension Trama {
    /// The graphs of the store, with their size and last change.
    public func graphs() throws -> GraphList {
        GraphList(graphs: try store(writing: false).read { try $0.graphs() })
    }

    /// Creates an empty graph.
    public func createGraph(_ name: String) throws -> GraphInfo {
        try store(writing: true, create: true).createGraph(name)
    }

    /// Deletes a graph and its history; one that still holds actors only with `force`.
    public func deleteGraph(_ request: GraphDeletion) throws -> GraphDeleted {
        GraphDeleted(deleted: try store(writing: true).deleteGraph(request.graph, force: request.force ?? false))
    }

    /// What a graph holds at one version.
    public func summary(_ request: GraphRead, access: Access = .full) throws -> GraphSummary {
        let access = access.narrowed(public: request.public)
        let eco = try read(request.graph, asOf: request.asOf, on: request.on) { snapshot, graph, version in
            try snapshot.ecosystem(graph, at: version, publicOnly: access.publicOnly)
        }
        var touched = Set<String>()
        for r in eco.relations {
            touched.insert(r.source)
            touched.insert(r.target)
        }
        return GraphSummary(
            graph: eco.name, actors: eco.actors.count, relations: eco.relations.count,
            actorsByKind: Dictionary(grouping: eco.actors, by: \.kind).mapValues(\.count),
            actorsByTerritory: Dictionary(grouping: eco.actors.filter { $0.territory != nil }, by: { $0.territory!.path }).mapValues(
                \.count),
            relationsByType: Dictionary(grouping: eco.relations, by: \.type).mapValues(\.count),
            relationsByStatus: Dictionary(grouping: eco.relations, by: \.status.rawValue).mapValues(\.count),
            isolated: eco.actors.map(\.id).filter { !touched.contains($0) })
    }

    /// A graph's change log up to a version, oldest first.
    public func log(_ request: GraphRead) throws -> ChangeLog {
        ChangeLog(
            changes: try read(request.graph, asOf: request.asOf, on: request.on) { snapshot, graph, version in
                try snapshot.changes(of: graph, upTo: version)
            })
    }
}
