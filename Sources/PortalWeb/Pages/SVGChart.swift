import Foundation

/// Bar charts drawn on the server as inline SVG, so that the statistics page needs no JavaScript. Each chart is
/// an image with a title for assistive technology; the page puts a table of the same figures next to it.
/// Colours come from presentation attributes, which the content security policy allows.
enum SVGChart {
    struct Bar: Sendable {
        let label: String
        let value: Double
        /// The figure as shown, e.g. "1.234" or "95,2 %".
        let text: String
    }

    static let barColour = "#1d70b8"
    static let textColour = "#0b0c0c"
    static let axisColour = "#b1b4b6"

    /// Vertical columns for a short series with short labels (e.g. months).
    static func columns(id: String, title: String, bars: [Bar], maximum: Double? = nil) -> String {
        let width = 640.0
        let height = 260.0
        let left = 8.0
        let top = 24.0
        let bottom = 40.0
        let plotHeight = height - top - bottom
        let slot = bars.isEmpty ? width : (width - 2 * left) / Double(bars.count)
        let top_ = maximum ?? max(bars.map(\.value).max() ?? 0, 1)
        var svg = header(id: id, title: title, width: width, height: height)
        svg += line(x1: left, y1: top + plotHeight, x2: width - left, y2: top + plotHeight)
        for (index, bar) in bars.enumerated() {
            let barHeight = top_ > 0 ? plotHeight * min(bar.value, top_) / top_ : 0
            let x = left + Double(index) * slot + slot * 0.15
            let y = top + plotHeight - barHeight
            svg += rect(x: x, y: y, width: slot * 0.7, height: barHeight)
            svg += text(bar.text, x: x + slot * 0.35, y: max(y - 4, 12), anchor: "middle", size: 11)
            svg += text(bar.label, x: x + slot * 0.35, y: top + plotHeight + 16, anchor: "middle", size: 11)
        }
        return svg + "</svg>"
    }

    /// Horizontal bars for categories with long labels (statuses, agencies).
    static func rows(id: String, title: String, bars: [Bar], maximum: Double? = nil) -> String {
        let width = 640.0
        let rowHeight = 26.0
        let labelWidth = 260.0
        let valueWidth = 90.0
        let height = max(Double(bars.count) * rowHeight + 8, 34)
        let top_ = maximum ?? max(bars.map(\.value).max() ?? 0, 1)
        let plotWidth = width - labelWidth - valueWidth
        var svg = header(id: id, title: title, width: width, height: height)
        for (index, bar) in bars.enumerated() {
            let y = 4 + Double(index) * rowHeight
            let barWidth = top_ > 0 ? plotWidth * min(bar.value, top_) / top_ : 0
            svg += text(shortened(bar.label, to: 40), x: labelWidth - 8, y: y + 17, anchor: "end", size: 12)
            svg += rect(x: labelWidth, y: y + 3, width: barWidth, height: rowHeight - 8)
            svg += text(bar.text, x: labelWidth + barWidth + 6, y: y + 17, anchor: "start", size: 12)
        }
        return svg + "</svg>"
    }

    static func header(id: String, title: String, width: Double, height: Double) -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="\(id)-title" \
        viewBox="0 0 \(number(width)) \(number(height))" width="100%" preserveAspectRatio="xMinYMin meet">\
        <title id="\(id)-title">\(escape(title))</title>
        """
    }

    static func rect(x: Double, y: Double, width: Double, height: Double) -> String {
        "<rect x=\"\(number(x))\" y=\"\(number(y))\" width=\"\(number(max(width, 0)))\" "
            + "height=\"\(number(max(height, 0)))\" fill=\"\(barColour)\"/>"
    }

    static func line(x1: Double, y1: Double, x2: Double, y2: Double) -> String {
        "<line x1=\"\(number(x1))\" y1=\"\(number(y1))\" x2=\"\(number(x2))\" y2=\"\(number(y2))\" "
            + "stroke=\"\(axisColour)\" stroke-width=\"1\"/>"
    }

    static func text(_ content: String, x: Double, y: Double, anchor: String, size: Int) -> String {
        "<text x=\"\(number(x))\" y=\"\(number(y))\" text-anchor=\"\(anchor)\" font-size=\"\(size)\" "
            + "fill=\"\(textColour)\">\(escape(content))</text>"
    }

    /// Coordinates with at most one decimal, always with a dot.
    static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
    }

    static func shortened(_ text: String, to length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length - 1)) + "…"
    }

    /// Escapes text for SVG (XML) content and attributes.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
