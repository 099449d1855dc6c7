// SPDX-License-Identifier: Apache-2.0
// The window: services arrive as required properties from main(); one screen shows at a time.
import QtQuick
import QtQuick.Controls
import QtQuick.Controls.Material
import QtQuick.Layouts
import Kerbside.Ui

ApplicationWindow {
    id: root
    required property StoreService store
    required property FormCatalogue catalogue
    required property PositionService position
    required property Preferences prefs
    required property SyncController sync

    property string screen: prefs.firstRunDone ? "home" : "firstrun"
    readonly property var screens: ["firstrun", "home", "interview", "responses", "sync", "settings", "area"]

    // The size comes from TabletApp::placeWindow(): full screen on a tablet, a resizable window
    // on a desktop, --window WxH for tests. Every screen holds down to these minimums.
    minimumWidth: 480
    minimumHeight: 480
    visible: true
    title: "Kerbside"
    color: KbTheme.background

    Material.theme: KbTheme.name === "dark" ? Material.Dark : Material.Light
    Material.accent: KbTheme.accent
    Material.primary: KbTheme.accent
    Material.background: KbTheme.background
    Material.foreground: KbTheme.text

    Binding { target: KbTheme; property: "scale"; value: root.prefs.textScale }
    Binding { target: KbTheme; property: "name"; value: root.prefs.theme }
    Binding { target: KbTheme; property: "colours"; value: root.prefs.palette }
    Binding { target: KbTheme; property: "tr"; value: root.prefs.tr }
    Binding { target: KbTheme; property: "language"; value: root.prefs.uiLanguage }

    function showScreen(name) {
        if (screens.indexOf(name) >= 0)
            screen = name
    }
    // Android's back button (and Escape/Back keys): one step back, never out of an interview.
    // True when it was handled here; on Home it is left to the system.
    function goBack() {
        if (screen === "interview") {
            if (interview.mode === "question" || interview.mode === "review")
                interview.back()
            return true
        }
        if (screen !== "home" && screen !== "firstrun") {
            screen = "home"
            return true
        }
        return false
    }
    Shortcut {
        sequences: ["Back"]
        context: Qt.ApplicationShortcut
        onActivated: root.goBack()
    }
    // On Android an unhandled back key closes the window: keep it open while there is a step back.
    onClosing: close => { if (Qt.platform.os === "android" && root.goBack()) close.accepted = false }

    function startInterview(formId) {
        if (interview.start(formId))
            screen = "interview"
    }
    function resumeInterview(uuid) {
        if (interview.resume(uuid))
            screen = "interview"
    }

    InterviewController {
        id: interview
        objectName: "interviewController"
        store: root.store
        prefs: root.prefs
        catalogue: root.catalogue
        position: root.position
    }

    header: ToolBar {
        id: toolbar
        visible: root.screen !== "firstrun" && root.screen !== "interview"
        height: visible ? KbTheme.buttonHeight + 8 : 0
        background: Rectangle {
            color: KbTheme.headerBackground
            Rectangle {
                anchors.bottom: parent.bottom
                width: parent.width
                height: KbTheme.highContrast ? 2 : 0
                color: KbTheme.border
            }
        }
        // Four equal cells; the text size is the largest of body/small/smaller at which every
        // tab's longest word fits whole in its cell (Polish "Synchronizacja" in portrait).
        readonly property var tabs: [["home", "nav_home"], ["responses", "nav_responses"],
                                     ["sync", "nav_sync"], ["settings", "nav_settings"]]
        readonly property real cell: (width - 16 - 3 * 4) / tabs.length
        FontMetrics { id: navMetrics; font.bold: true; font.pixelSize: KbTheme.fontBody }
        function widestAt(px) {
            const ratio = px / navMetrics.font.pixelSize
            let widest = 0
            for (let i = 0; i < tabs.length; ++i) {
                const words = String(KbTheme.tr[tabs[i][1]]).split(/\s+/)
                for (let j = 0; j < words.length; ++j)
                    widest = Math.max(widest, navMetrics.advanceWidth(words[j]) * ratio)
            }
            return widest
        }
        readonly property int navFont: {
            const sizes = [KbTheme.fontBody, KbTheme.fontSmall, Math.round(KbTheme.fontSmall * 0.85)]
            for (let i = 0; i < sizes.length; ++i)
                if (widestAt(sizes[i]) + 4 <= cell - 8)
                    return sizes[i]
            return sizes[sizes.length - 1]
        }
        Row {
            anchors.fill: parent
            anchors.leftMargin: 8
            anchors.rightMargin: 8
            spacing: 4
            Repeater {
                model: toolbar.tabs
                delegate: ToolButton {
                    id: tab
                    required property var modelData
                    readonly property bool current: root.screen === modelData[0]
                    objectName: "nav_" + modelData[0]
                    width: toolbar.cell
                    height: parent.height
                    text: KbTheme.tr[modelData[1]]
                    leftPadding: 4
                    rightPadding: 4
                    onClicked: root.screen = modelData[0]
                    contentItem: Label {
                        text: tab.text
                        font.pixelSize: toolbar.navFont
                        font.bold: tab.current
                        font.underline: tab.current
                        color: KbTheme.headerText
                        wrapMode: Text.WordWrap
                        horizontalAlignment: Text.AlignHCenter
                        verticalAlignment: Text.AlignVCenter
                    }
                }
            }
        }
    }

    footer: Rectangle {
        visible: root.store.lastError !== "" || root.store.notice !== ""
        height: visible ? errorRow.implicitHeight + 16 : 0
        color: KbTheme.errorBackground
        border.color: KbTheme.error
        border.width: 2
        RowLayout {
            id: errorRow
            anchors.fill: parent
            anchors.margins: 8
            KbLabel {
                objectName: "storeError"
                text: root.store.lastError !== "" ? KbTheme.tr.store_error + " " + root.store.lastError
                                                  : root.store.notice
                color: KbTheme.error
            }
            KbButton {
                text: KbTheme.tr.dismiss
                onClicked: root.store.lastError !== "" ? root.store.clearError() : root.store.clearNotice()
            }
        }
    }

    StackLayout {
        anchors.fill: parent
        currentIndex: root.screens.indexOf(root.screen)

        FirstRunPage {
            store: root.store
            prefs: root.prefs
            sync: root.sync
            onDone: root.screen = "home"
        }
        HomePage {
            store: root.store
            prefs: root.prefs
            catalogue: root.catalogue
            position: root.position
            onStartRequested: formId => root.startInterview(formId)
            onResumeRequested: uuid => root.resumeInterview(uuid)
            onAreaRequested: root.screen = "area"
        }
        InterviewPage {
            controller: interview
            position: root.position
            prefs: root.prefs
            onLeave: root.screen = "home"
        }
        ResponsesPage {
            store: root.store
            prefs: root.prefs
            catalogue: root.catalogue
            onResumeRequested: uuid => root.resumeInterview(uuid)
        }
        SyncPage {
            sync: root.sync
            prefs: root.prefs
        }
        SettingsPage {
            store: root.store
            prefs: root.prefs
            catalogue: root.catalogue
        }
        AreaPage {
            store: root.store
            prefs: root.prefs
            position: root.position
        }
    }
}
