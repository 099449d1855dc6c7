// SPDX-License-Identifier: Apache-2.0
// One choice: a list of big radio rows; `likert` draws a horizontal scale of equal buttons,
// `minimal` a compact grid (never a drop-down: one tap, no scrolling list in the rain).
// A Grid positioner, not a GridLayout: the choices are model-driven (choice_filter, language).
import QtQuick
import QtQuick.Controls
import Kerbside.Ui

Grid {
    id: editor
    property string questionName
    property string value
    property var choices: []
    property bool readOnly: false
    property string appearance
    signal answered(string value)

    readonly property bool likert: appearance === "likert"
    readonly property bool compactGrid: appearance === "minimal"
    readonly property real cellWidth: (width - (columns - 1) * columnSpacing) / columns
    property real tallest: 0 // a likert scale's buttons share one height
    columns: likert ? Math.max(1, choices.length) : compactGrid ? (width > 600 ? 3 : 2) : 1
    columnSpacing: 8
    rowSpacing: 8

    Repeater {
        model: editor.choices
        delegate: KbChoiceButton {
            required property var modelData
            objectName: "choice_" + editor.questionName + "_" + modelData.name
            width: editor.cellWidth
            height: editor.likert ? Math.max(implicitHeight, editor.tallest) : implicitHeight
            onImplicitHeightChanged: if (implicitHeight > editor.tallest) editor.tallest = implicitHeight
            compact: editor.likert
            enabled: !editor.readOnly
            text: modelData.label
            checked: editor.value === modelData.name
            // A second tap on the chosen answer clears it, so a slip can be undone.
            onClicked: editor.answered(checked ? "" : modelData.name)
        }
    }
}
