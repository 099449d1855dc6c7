// SPDX-License-Identifier: Apache-2.0
// One choice: a list of big radio rows; `likert` draws a horizontal scale of equal buttons,
// `minimal` a compact grid (never a drop-down: one tap, no scrolling list in the rain).
// A scale or grid whose labels cannot fit whole (a word wider than its cell) lays itself out as
// the plain list instead: a label is never broken inside a word. Tapping the chosen answer
// again keeps it; "Clear answer" is the deliberate way to take it back.
// A Grid positioner, not a GridLayout: the choices are model-driven (choice_filter, language).
import QtQuick
import QtQuick.Controls
import Kerbside.Ui

Column {
    id: editor
    property string questionName
    property string value
    property var choices: []
    property bool readOnly: false
    property string appearance
    signal answered(string value)
    spacing: 8

    readonly property int wanted: appearance === "likert" ? Math.max(1, choices.length)
                                : appearance === "minimal" ? (width > 600 ? 3 : 2) : 1
    // Widest single word of any label, at the choices' font (bold is the widest it gets).
    FontMetrics { id: metrics; font.pixelSize: KbTheme.fontBody; font.bold: true }
    readonly property real widestWord: {
        // Read the font here so the binding follows it (advanceWidth() alone registers nothing).
        if (metrics.font.pixelSize <= 0 || !metrics.font.bold)
            return 0
        let widest = 0
        for (let i = 0; i < choices.length; ++i) {
            const words = String(choices[i].label).split(/\s+/)
            for (let j = 0; j < words.length; ++j)
                widest = Math.max(widest, metrics.advanceWidth(words[j]))
        }
        return widest
    }
    // The label's room in a cell of `columns` columns (see KbChoiceButton: 8 px padding compact,
    // 62 px beside the mark).
    function labelRoom(columns) {
        const cell = (width - (columns - 1) * grid.columnSpacing) / columns
        return cell - (appearance === "likert" ? 8 : 62)
    }
    readonly property bool fits: wanted === 1 || widestWord <= labelRoom(wanted)
    readonly property int columns: fits ? wanted : 1
    readonly property bool asScale: appearance === "likert" && columns > 1

    Grid {
        id: grid
        objectName: "choices_" + editor.questionName
        width: editor.width
        columns: editor.columns
        columnSpacing: 8
        rowSpacing: 8
        readonly property real cellWidth: (width - (columns - 1) * columnSpacing) / columns
        property real tallest: 0 // a likert scale's buttons share one height
        onColumnsChanged: tallest = 0

        Repeater {
            model: editor.choices
            delegate: KbChoiceButton {
                required property var modelData
                objectName: "choice_" + editor.questionName + "_" + modelData.name
                width: grid.cellWidth
                height: editor.asScale ? Math.max(implicitHeight, grid.tallest) : implicitHeight
                onImplicitHeightChanged: if (implicitHeight > grid.tallest) grid.tallest = implicitHeight
                compact: editor.asScale
                enabled: !editor.readOnly
                text: modelData.label
                checked: editor.value === modelData.name
                onClicked: if (!checked) editor.answered(modelData.name)
            }
        }
    }
    KbButton {
        objectName: "clearAnswer_" + editor.questionName
        visible: editor.value !== "" && !editor.readOnly
        text: KbTheme.tr.clear_answer
        onClicked: editor.answered("")
    }
}
