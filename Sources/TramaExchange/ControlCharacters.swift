/// Control characters in imported text. A NUL byte is stored but read back cut
/// at the NUL, and XML 1.0 cannot hold most of them: imports refuse every
/// control character (C0, DEL and C1) except tab, line feed and carriage return.
enum ControlCharacters {
    /// True for a scalar an imported value may not hold.
    static func isRefused(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x20 { return value != 0x09 && value != 0x0A && value != 0x0D }
        return (0x7F...0x9F).contains(value)
    }

    /// The first refused scalar of `text` and the line feeds before it, or nil.
    /// - Complexity: O(n) in the UTF-8 length of `text`; one pass over the bytes.
    static func first(in text: String) -> (scalar: Unicode.Scalar, lineFeedsBefore: Int)? {
        var lineFeeds = 0
        var previous: UInt8 = 0
        for byte in text.utf8 {
            // C0 and DEL are single bytes; C1 is 0xC2 followed by 0x80...0x9F.
            if byte < 0x20 || byte == 0x7F {
                if byte == 0x0A {
                    lineFeeds += 1
                } else if byte != 0x09 && byte != 0x0D {
                    return (Unicode.Scalar(byte), lineFeeds)
                }
            } else if previous == 0xC2, byte < 0xA0 {
                return (Unicode.Scalar(byte), lineFeeds)
            }
            previous = byte
        }
        return nil
    }

    /// `a control character (U+0000)`.
    static func describe(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "a control character (U+\(String(repeating: "0", count: max(0, 4 - hex.count)) + hex))"
    }

    /// The advice that ends every refusal.
    static let advice = "remove it (only tabs and line breaks may appear in text)"
}
