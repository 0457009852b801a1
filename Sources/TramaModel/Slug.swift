import Foundation

/// Stable actor ids: lower-case ASCII words joined by `-`, made from a name
/// when a sheet has no `ID` column (`Coop. Soc. La Venenta` → `coop-soc-la-venenta`).
public enum Slug {
    /// - Complexity: O(n) in the length of `text`.
    public static func make(_ text: String) -> String {
        let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
        var out = ""
        var pendingDash = false
        for scalar in folded.unicodeScalars {
            if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) {
                if pendingDash && !out.isEmpty { out.append("-") }
                pendingDash = false
                out.unicodeScalars.append(scalar)
            } else {
                pendingDash = true
            }
        }
        return out
    }

    /// Ids as users may type them: anything printable without spaces at the ends,
    /// no control characters, at most 200 characters.
    /// - Complexity: O(n) in the id's length, on its bytes for ASCII ids.
    public static func isValidID(_ id: String) -> Bool {
        let utf8 = id.utf8
        guard let first = utf8.first, let last = utf8.last, first != 0x20, last != 0x20 else { return false }
        if utf8.count <= 200, utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != 0x7C || $0 == 0x20 }) { return true }
        guard id.count <= 200, id.trimmingCharacters(in: .whitespaces) == id else { return false }
        return !id.unicodeScalars.contains { CharacterSet.controlCharacters.contains($0) || $0 == "|" }
    }

    /// Vocabulary names: `[a-z][a-z0-9_]*`.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }
}
