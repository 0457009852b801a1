import Foundation
import GRDB
import GRDBSQLite
import TramaModel

/// A graph's current actors and relations in columns, as analyses read them,
/// kept in the store as one blob beside the rows and rewritten with every change.
///
/// Reading a 100k-actor, 500k-relation graph row by row costs about half a
/// second (each relation's two ends are text to hash); the image is read in one
/// blob and decoded with a copy per column. Actors are in id order, relations in
/// row order, so an image patched with a change's rows equals one built anew.
struct GraphImage: Equatable, Sendable {
    var actorRows: [Int64] = []
    var actorIDs: [String] = []
    var actorNames: [String] = []
    var actorKinds: [String] = []
    var actorTerritories: [String?] = []
    var actorPrivate: [Bool] = []
    var typeNames: [String] = []
    var relationRows: [Int64] = []
    var source: [Int32] = []
    var target: [Int32] = []
    var type: [UInt16] = []
    /// NaN where the relation has no strength.
    var strength: [Double] = []
    var status: [UInt8] = []
    var relationPrivate: [Bool] = []

    struct NewActor: Sendable {
        var row: Int64
        var id: String
        var name: String
        var kind: String
        var territory: String?
        var isPrivate: Bool
    }

    struct NewRelation: Sendable {
        var row: Int64
        var source: String
        var target: String
        var type: String
        var strength: Double?
        var status: RelationStatus
        var isPrivate: Bool
    }

    static let statuses = RelationStatus.allCases

    /// Equal columns; strengths compared bit for bit (NaN marks a missing strength).
    static func == (a: GraphImage, b: GraphImage) -> Bool {
        a.actorRows == b.actorRows && a.actorIDs == b.actorIDs && a.actorNames == b.actorNames && a.actorKinds == b.actorKinds
            && a.actorTerritories == b.actorTerritories && a.actorPrivate == b.actorPrivate && a.typeNames == b.typeNames
            && a.relationRows == b.relationRows && a.source == b.source && a.target == b.target && a.type == b.type
            && a.strength.map(\.bitPattern) == b.strength.map(\.bitPattern) && a.status == b.status
            && a.relationPrivate == b.relationPrivate
    }

    mutating func typeIndex(_ name: String) -> UInt16 {
        if let i = typeNames.firstIndex(of: name) { return UInt16(i) }
        typeNames.append(name)
        return UInt16(typeNames.count - 1)
    }

    /// The current actors and relations of a graph, read from its rows.
    /// - Complexity: O(actors log actors + relations) rows, scanned in table order.
    static func build(_ db: Database, graphID: Int64) throws -> GraphImage {
        var image = GraphImage()
        var rows: [NewActor] = []
        let actors = try db.makeStatement(
            sql: """
                SELECT row, id, name, kind, territory, private FROM actors NOT INDEXED WHERE graph_id = ? AND valid_to IS NULL
                """)
        try actors.setArguments([graphID])
        try BulkRead.forEachRow(actors, db: db) { row in
            rows.append(
                NewActor(
                    row: sqlite3_column_int64(row, 0), id: BulkRead.text(row, 1), name: BulkRead.text(row, 2),
                    kind: BulkRead.text(row, 3), territory: BulkRead.optionalText(row, 4),
                    isPrivate: sqlite3_column_int64(row, 5) != 0))
        }
        rows.sort { $0.id < $1.id }
        image.reserveActors(rows.count)
        var index: [String: Int32] = [:]
        index.reserveCapacity(rows.count)
        for actor in rows {
            index[actor.id] = Int32(image.actorIDs.count)
            image.append(actor)
        }
        let count =
            try Int.fetchOne(db, sql: "SELECT count(*) FROM relations WHERE graph_id = ? AND valid_to IS NULL", arguments: [graphID]) ?? 0
        image.reserveRelations(count)
        let relations = try db.makeStatement(
            sql: """
                SELECT row, source, target, type, strength, status, private FROM relations NOT INDEXED WHERE graph_id = ? AND valid_to IS NULL
                """)
        try relations.setArguments([graphID])
        // Imports insert relations in key order, so consecutive rows mostly share their source.
        var lastSource = ""
        var lastIndex: Int32?
        try BulkRead.forEachRow(relations, db: db) { row in
            let sourceText = BulkRead.text(row, 1)
            if sourceText != lastSource {
                lastSource = sourceText
                lastIndex = index[sourceText]
            }
            guard let u = lastIndex, let v = index[BulkRead.text(row, 2)] else { return }
            image.relationRows.append(sqlite3_column_int64(row, 0))
            image.source.append(u)
            image.target.append(v)
            image.type.append(image.typeIndex(BulkRead.text(row, 3)))
            image.strength.append(BulkRead.double(row, 4) ?? .nan)
            image.status.append(Self.code(RelationStatus(rawValue: BulkRead.text(row, 5)) ?? .active))
            image.relationPrivate.append(sqlite3_column_int64(row, 6) != 0)
        }
        return image
    }

    static func code(_ status: RelationStatus) -> UInt8 { UInt8(statuses.firstIndex(of: status)!) }

    mutating func reserveActors(_ n: Int) {
        actorRows.reserveCapacity(n)
        actorIDs.reserveCapacity(n)
        actorNames.reserveCapacity(n)
        actorKinds.reserveCapacity(n)
        actorTerritories.reserveCapacity(n)
        actorPrivate.reserveCapacity(n)
    }

    mutating func reserveRelations(_ n: Int) {
        relationRows.reserveCapacity(n)
        source.reserveCapacity(n)
        target.reserveCapacity(n)
        type.reserveCapacity(n)
        strength.reserveCapacity(n)
        status.reserveCapacity(n)
        relationPrivate.reserveCapacity(n)
    }

    mutating func append(_ actor: NewActor) {
        actorRows.append(actor.row)
        actorIDs.append(actor.id)
        actorNames.append(actor.name)
        actorKinds.append(actor.kind)
        actorTerritories.append(actor.territory)
        actorPrivate.append(actor.isPrivate)
    }

    /// The image after a change that closed `removedActors` and `removedRelations`
    /// (rows) and inserted `addedActors` and `addedRelations`.
    /// - Complexity: O(actors + relations + added · log actors).
    func patched(
        removedActors: Set<Int64>, addedActors: [NewActor], removedRelations: Set<Int64>,
        addedRelations: [NewRelation]
    ) -> GraphImage {
        var next = GraphImage()
        next.typeNames = typeNames
        next.reserveActors(actorIDs.count + addedActors.count)
        // Merge the kept actors (in id order) with the added ones (sorted).
        let added = addedActors.sorted { $0.id < $1.id }
        var remap = [Int32](repeating: -1, count: actorIDs.count)
        var a = 0
        var b = 0
        while a < actorIDs.count || b < added.count {
            if a < actorIDs.count, removedActors.contains(actorRows[a]) {
                a += 1
                continue
            }
            if b < added.count, a == actorIDs.count || added[b].id < actorIDs[a] {
                next.append(added[b])
                b += 1
            } else {
                remap[a] = Int32(next.actorIDs.count)
                next.actorRows.append(actorRows[a])
                next.actorIDs.append(actorIDs[a])
                next.actorNames.append(actorNames[a])
                next.actorKinds.append(actorKinds[a])
                next.actorTerritories.append(actorTerritories[a])
                next.actorPrivate.append(actorPrivate[a])
                a += 1
            }
        }
        func index(_ id: String) -> Int32? {
            var (low, high) = (0, next.actorIDs.count)
            while low < high {
                let mid = (low + high) / 2
                if next.actorIDs[mid] < id { low = mid + 1 } else { high = mid }
            }
            return low < next.actorIDs.count && next.actorIDs[low] == id ? Int32(low) : nil
        }
        // An actor whose row was replaced (an edit) keeps its relations at its new place.
        for old in remap.indices where remap[old] < 0 { remap[old] = index(actorIDs[old]) ?? -1 }
        next.reserveRelations(relationRows.count + addedRelations.count)
        for r in relationRows.indices where !removedRelations.contains(relationRows[r]) {
            let (u, v) = (remap[Int(source[r])], remap[Int(target[r])])
            guard u >= 0, v >= 0 else { continue }
            next.relationRows.append(relationRows[r])
            next.source.append(u)
            next.target.append(v)
            next.type.append(type[r])
            next.strength.append(strength[r])
            next.status.append(status[r])
            next.relationPrivate.append(relationPrivate[r])
        }
        // Many new relations (an import): one dictionary of ids beats a search per end.
        var byID: [String: Int32] = [:]
        if addedRelations.count > 1_000 {
            byID.reserveCapacity(next.actorIDs.count)
            for (i, id) in next.actorIDs.enumerated() { byID[id] = Int32(i) }
        }
        let lookup: (String) -> Int32? = addedRelations.count > 1_000 ? { byID[$0] } : index
        let inRowOrder = zip(addedRelations, addedRelations.dropFirst()).allSatisfy { $0.row < $1.row }
        for relation in inRowOrder ? addedRelations : addedRelations.sorted(by: { $0.row < $1.row }) {
            guard let u = lookup(relation.source), let v = lookup(relation.target) else { continue }
            next.relationRows.append(relation.row)
            next.source.append(u)
            next.target.append(v)
            next.type.append(next.typeIndex(relation.type))
            next.strength.append(relation.strength ?? .nan)
            next.status.append(Self.code(relation.status))
            next.relationPrivate.append(relation.isPrivate)
        }
        // Type names in order of first use, as a build from the rows gives them.
        var remapType = [UInt16?](repeating: nil, count: next.typeNames.count)
        var names: [String] = []
        for r in next.type.indices {
            let t = Int(next.type[r])
            if remapType[t] == nil {
                remapType[t] = UInt16(names.count)
                names.append(next.typeNames[t])
            }
            next.type[r] = remapType[t]!
        }
        next.typeNames = names
        return next
    }

    /// The image as it stood right after change `change`: rows made since are left
    /// out, rows it held that were closed since are put back; relations in row order,
    /// as an image built from that version's rows has them.
    /// - Complexity: O(actors + relations + rows changed since), the changed rows found by index.
    func rewound(_ db: Database, graphID: Int64, to change: Int64) throws -> GraphImage {
        Profile.mark("load the image")
        let madeActors = Set(
            try Int64.fetchAll(db, sql: "SELECT row FROM actors WHERE graph_id = ? AND valid_from > ?", arguments: [graphID, change]))
        let madeRelations = Set(
            try Int64.fetchAll(db, sql: "SELECT row FROM relations WHERE graph_id = ? AND valid_from > ?", arguments: [graphID, change]))
        var actors: [NewActor] = []
        for row in try Row.fetchAll(
            db,
            sql: "SELECT row, id, name, kind, territory, private FROM actors WHERE graph_id = ? AND valid_to > ? AND valid_from <= ?",
            arguments: [graphID, change, change])
        {
            actors.append(NewActor(row: row[0], id: row[1], name: row[2], kind: row[3], territory: row[4], isPrivate: row[5]))
        }
        var relations: [NewRelation] = []
        let statement = try db.makeStatement(
            sql: """
                SELECT row, source, target, type, strength, status, private FROM relations
                WHERE graph_id = ? AND valid_to > ? AND valid_from <= ? ORDER BY row
                """)
        try statement.setArguments([graphID, change, change])
        try BulkRead.forEachRow(statement, db: db) { row in
            relations.append(
                NewRelation(
                    row: sqlite3_column_int64(row, 0), source: BulkRead.text(row, 1), target: BulkRead.text(row, 2),
                    type: BulkRead.text(row, 3), strength: BulkRead.double(row, 4),
                    status: RelationStatus(rawValue: BulkRead.text(row, 5)) ?? .active, isPrivate: sqlite3_column_int64(row, 6) != 0))
        }
        Profile.mark("read \(madeRelations.count + relations.count) rows changed since")
        var image = patched(removedActors: madeActors, addedActors: actors, removedRelations: madeRelations, addedRelations: relations)
        Profile.mark("patch")
        image.sortRelationsByRow()
        Profile.mark("sort")
        return image
    }

    /// Puts the relation columns in row order (they are, unless rows were put back).
    mutating func sortRelationsByRow() {
        guard zip(relationRows, relationRows.dropFirst()).contains(where: { $0 > $1 }) else { return }
        let order = relationRows.indices.sorted { relationRows[$0] < relationRows[$1] }
        relationRows = order.map { relationRows[$0] }
        source = order.map { source[$0] }
        target = order.map { target[$0] }
        type = order.map { type[$0] }
        strength = order.map { strength[$0] }
        status = order.map { status[$0] }
        relationPrivate = order.map { relationPrivate[$0] }
    }

    /// The columns analyses read; private actors (and relations touching them)
    /// and private relations left out when `publicOnly`.
    /// - Complexity: O(actors + relations).
    func table(vocabulary: Vocabulary, publicOnly: Bool) -> RelationTable {
        var table = RelationTable(vocabulary: vocabulary)
        table.typeNames = typeNames
        var territories: [String: Territory] = [:]
        func territory(_ text: String?) -> Territory? {
            guard let text else { return nil }
            if let known = territories[text] { return known }
            let parsed = Territory(text)
            territories[text] = parsed
            return parsed
        }
        let hideActors = publicOnly && actorPrivate.contains(true)
        let hideRelations = publicOnly && (hideActors || relationPrivate.contains(true))
        if !hideActors {
            table.actorIDs = actorIDs
            table.actorNames = actorNames
            table.actorKinds = actorKinds
            table.actorTerritories = actorTerritories.map(territory)
        } else {
            for i in actorIDs.indices where !actorPrivate[i] {
                table.actorIDs.append(actorIDs[i])
                table.actorNames.append(actorNames[i])
                table.actorKinds.append(actorKinds[i])
                table.actorTerritories.append(territory(actorTerritories[i]))
            }
        }
        let statuses = Self.statuses
        if !hideRelations {
            table.source = source
            table.target = target
            table.type = type
            table.strength = strength
            table.status = status.map { statuses[Int($0)] }
        } else {
            var remap = [Int32](repeating: -1, count: actorIDs.count)
            var next: Int32 = 0
            for i in actorIDs.indices where !actorPrivate[i] {
                remap[i] = next
                next += 1
            }
            for r in source.indices where !relationPrivate[r] {
                let (u, v) = (remap[Int(source[r])], remap[Int(target[r])])
                guard u >= 0, v >= 0 else { continue }
                table.source.append(u)
                table.target.append(v)
                table.type.append(type[r])
                table.strength.append(strength[r])
                table.status.append(statuses[Int(status[r])])
            }
        }
        return table
    }
}

extension GraphImage {
    static let magic: UInt32 = 0x5452_4932  // "TRI2"

    /// The image as one blob: counts, then each column. Row ids are stored as
    /// varint deltas (they mostly step by one), flags as bits, strengths only when
    /// some relation has one, strings as one UTF-8 buffer with offsets. About
    /// 18 bytes per relation and 40 per actor.
    func encoded() -> Data {
        var out = ByteWriter()
        out.put(Self.magic)
        out.put(Int64(actorIDs.count))
        out.put(Int64(relationRows.count))
        out.put(deltas: actorRows)
        out.put(strings: actorIDs)
        out.put(strings: actorNames)
        // Kinds and territories repeat: a table of distinct values and an index per actor.
        for column in [actorKinds.map(Optional.some), actorTerritories] {
            var distinct: [String] = []
            var position: [String: Int32] = [:]
            var indices: [Int32] = []
            indices.reserveCapacity(column.count)
            for value in column {
                guard let value else {
                    indices.append(-1)
                    continue
                }
                if let known = position[value] {
                    indices.append(known)
                    continue
                }
                position[value] = Int32(distinct.count)
                indices.append(Int32(distinct.count))
                distinct.append(value)
            }
            out.put(Int64(distinct.count))
            out.put(strings: distinct)
            out.put(indices)
        }
        out.put(bits: actorPrivate)
        out.put(Int64(typeNames.count))
        out.put(strings: typeNames)
        out.put(deltas: relationRows)
        out.put(source)
        out.put(target)
        out.put(type)
        let hasStrength = strength.contains { !$0.isNaN }
        out.put(UInt8(hasStrength ? 1 : 0))
        if hasStrength { out.put(strength) }
        out.put(status)
        out.put(bits: relationPrivate)
        return out.data
    }

    /// Reads an image written by ``encoded()``; nil when the blob is not one
    /// (the caller then reads the rows).
    init?(decoding bytes: UnsafeRawBufferPointer) {
        var input = ByteReader(bytes)
        guard input.get(UInt32.self) == Self.magic, let n = input.get(Int64.self).map(Int.init),
            let m = input.get(Int64.self).map(Int.init),
            n >= 0, m >= 0, n < Int(Int32.max), m < Int(Int32.max),
            let actorRows = input.deltas(n), let ids = input.strings(n), let names = input.strings(n)
        else { return nil }
        var columns: [[String?]] = []
        for _ in 0..<2 {
            guard let count = input.get(Int64.self).map(Int.init), count >= 0, let distinct = input.strings(count),
                let indices = input.array(Int32.self, n)
            else { return nil }
            var column: [String?] = []
            column.reserveCapacity(n)
            for i in indices {
                guard i < distinct.count else { return nil }
                column.append(i < 0 ? nil : distinct[Int(i)])
            }
            columns.append(column)
        }
        guard let actorPrivate = input.bits(n), let typeCount = input.get(Int64.self).map(Int.init), typeCount >= 0,
            let typeNames = input.strings(typeCount), let relationRows = input.deltas(m),
            let source = input.array(Int32.self, m), let target = input.array(Int32.self, m), let type = input.array(UInt16.self, m),
            let hasStrength = input.get(UInt8.self)
        else { return nil }
        let strength = hasStrength == 0 ? [Double](repeating: .nan, count: m) : input.array(Double.self, m)
        guard let strength, let status = input.array(UInt8.self, m), let relationPrivate = input.bits(m), input.atEnd else { return nil }
        guard source.allSatisfy({ $0 >= 0 && Int($0) < n }), target.allSatisfy({ $0 >= 0 && Int($0) < n }),
            type.allSatisfy({ Int($0) < typeNames.count }), status.allSatisfy({ Int($0) < Self.statuses.count })
        else { return nil }
        self.actorRows = actorRows
        actorIDs = ids
        actorNames = names
        actorKinds = columns[0].map { $0 ?? "" }
        actorTerritories = columns[1]
        self.actorPrivate = actorPrivate
        self.typeNames = typeNames
        self.relationRows = relationRows
        self.source = source
        self.target = target
        self.type = type
        self.strength = strength
        self.status = status
        self.relationPrivate = relationPrivate
    }

    /// The stored image of a graph, if there is one and it reads.
    static func load(_ db: Database, graphID: Int64) throws -> GraphImage? {
        let statement = try db.makeStatement(sql: "SELECT data FROM images WHERE graph_id = ?")
        try statement.setArguments([graphID])
        var image: GraphImage?
        try BulkRead.forEachRow(statement, db: db) { row in
            guard let blob = sqlite3_column_blob(row, 0) else { return }
            image = GraphImage(decoding: UnsafeRawBufferPointer(start: blob, count: Int(sqlite3_column_bytes(row, 0))))
        }
        return image
    }

    /// The image kept for a snapshot at `change`, if any.
    static func load(_ db: Database, graphID: Int64, snapshotAt change: Int64) throws -> GraphImage? {
        let statement = try db.makeStatement(sql: "SELECT data FROM snapshot_images WHERE graph_id = ? AND change_id = ?")
        try statement.setArguments([graphID, change])
        var image: GraphImage?
        try BulkRead.forEachRow(statement, db: db) { row in
            guard let blob = sqlite3_column_blob(row, 0) else { return }
            image = GraphImage(decoding: UnsafeRawBufferPointer(start: blob, count: Int(sqlite3_column_bytes(row, 0))))
        }
        return image
    }

    func saveForSnapshot(_ db: Database, graphID: Int64, change: Int64) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO snapshot_images (graph_id, change_id, data) VALUES (?, ?, ?)",
            arguments: [graphID, change, encoded()])
    }

    func save(_ db: Database, graphID: Int64, change: Int64) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO images (graph_id, change_id, data) VALUES (?, ?, ?)",
            arguments: [graphID, change, encoded()])
    }
}

/// Appends values as raw bytes (little-endian on every platform Trama runs on).
struct ByteWriter {
    var data = Data()

    mutating func put<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }

    mutating func put<T>(_ values: [T]) {
        values.withUnsafeBytes { data.append(contentsOf: $0) }
    }

    /// Signed differences from the previous value, each as a zigzag varint.
    mutating func put(deltas values: [Int64]) {
        var previous: Int64 = 0
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count + 16)
        for value in values {
            let delta = value &- previous
            previous = value
            var zigzag = UInt64(bitPattern: (delta << 1) ^ (delta >> 63))
            while zigzag >= 0x80 {
                bytes.append(UInt8(zigzag & 0x7F) | 0x80)
                zigzag >>= 7
            }
            bytes.append(UInt8(zigzag))
        }
        put(Int64(bytes.count))
        put(bytes)
    }

    mutating func put(bits flags: [Bool]) {
        var bytes = [UInt8](repeating: 0, count: (flags.count + 7) / 8)
        for (i, flag) in flags.enumerated() where flag { bytes[i >> 3] |= 1 << UInt8(i & 7) }
        put(bytes)
    }

    mutating func put(strings: [String]) {
        var offsets: [Int32] = [0]
        offsets.reserveCapacity(strings.count + 1)
        var bytes: [UInt8] = []
        for var string in strings {
            string.withUTF8 { bytes.append(contentsOf: $0) }
            offsets.append(Int32(bytes.count))
        }
        put(Int64(bytes.count))
        put(offsets)
        put(bytes)
    }
}

/// Reads what ``ByteWriter`` wrote, checking every length against the buffer.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var atEnd: Bool { offset == bytes.count }

    mutating func get<T: FixedWidthInteger>(_ type: T.Type) -> T? {
        guard offset + MemoryLayout<T>.size <= bytes.count else { return nil }
        var value = T.zero
        withUnsafeMutableBytes(of: &value) {
            $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + MemoryLayout<T>.size]))
        }
        offset += MemoryLayout<T>.size
        return T(littleEndian: value)
    }

    mutating func array<T>(_ type: T.Type, _ count: Int) -> [T]? {
        let size = count * MemoryLayout<T>.stride
        guard count >= 0, offset + size <= bytes.count else { return nil }
        let values = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + size]))
            initialized = count
        }
        offset += size
        return values
    }

    mutating func deltas(_ count: Int) -> [Int64]? {
        guard let size = get(Int64.self).map(Int.init), size >= 0, offset + size <= bytes.count else { return nil }
        var values: [Int64] = []
        values.reserveCapacity(count)
        var previous: Int64 = 0
        var i = offset
        let end = offset + size
        while values.count < count {
            var zigzag: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard i < end, shift < 64 else { return nil }
                let byte = bytes[i]
                i += 1
                zigzag |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { break }
                shift += 7
            }
            let delta = Int64(bitPattern: (zigzag >> 1) ^ (0 &- (zigzag & 1)))
            previous = previous &+ delta
            values.append(previous)
        }
        guard i == end else { return nil }
        offset = end
        return values
    }

    mutating func bits(_ count: Int) -> [Bool]? {
        guard let bytes = array(UInt8.self, (count + 7) / 8) else { return nil }
        return (0..<count).map { bytes[$0 >> 3] & (1 << UInt8($0 & 7)) != 0 }
    }

    mutating func strings(_ count: Int) -> [String]? {
        guard let total = get(Int64.self).map(Int.init), total >= 0, let offsets = array(Int32.self, count + 1),
            offset + total <= bytes.count, offsets.first == 0, Int(offsets.last ?? -1) == total
        else { return nil }
        let base = offset
        var out: [String] = []
        out.reserveCapacity(count)
        for i in 0..<count {
            let (a, b) = (Int(offsets[i]), Int(offsets[i + 1]))
            guard a <= b else { return nil }
            out.append(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[base + a..<base + b]), as: UTF8.self))
        }
        offset += total
        return out
    }
}

extension Store {
    /// Test hook: whether the graph's stored image equals one built anew from its
    /// rows (nil when the graph has no image).
    /// Test hook: each earlier version read through the current image equals the same version read from its rows.
    package func _rewoundMatchesRows(_ graph: String) throws -> [Int64: Bool] {
        try read { snapshot in
            let ref = try snapshot.graph(graph)
            var out: [Int64: Bool] = [:]
            for change in try snapshot.changes(of: ref).map(\.id) {
                let version = try snapshot.version(.change(change), on: nil, of: ref)
                let a = try snapshot.relationTable(ref, at: version, publicOnly: false, fromRows: false)
                let b = try snapshot.relationTable(ref, at: version, publicOnly: false, fromRows: true)
                out[change] =
                    a.actorIDs == b.actorIDs && a.actorNames == b.actorNames && a.actorKinds == b.actorKinds
                    && a.actorTerritories == b.actorTerritories && a.source == b.source && a.target == b.target
                    && a.type.map { a.typeNames[Int($0)] } == b.type.map { b.typeNames[Int($0)] }
                    && zip(a.strength, b.strength).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) } && a.status == b.status
            }
            return out
        }
    }

    package func _imageMatchesRows(_ graph: String) throws -> Bool? {
        try read { snapshot in
            let ref = try snapshot.graph(graph)
            guard let stored = try GraphImage.load(snapshot.db, graphID: ref.id) else { return nil }
            return stored == (try GraphImage.build(snapshot.db, graphID: ref.id))
        }
    }
}
