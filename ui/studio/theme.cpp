#include "studio/theme.h"

#include <QApplication>
#include <QFont>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>

namespace plexus::ui {

Theme Theme::light()
{
    Theme t;
    t.dark = false;
    t.background = QColor(255, 255, 255);
    t.foreground = QColor(30, 30, 30);
    t.grid = QColor(225, 225, 225);
    t.accent = QColor(31, 119, 180);
    t.selection = QColor(0, 0, 0);
    return t;
}

Theme Theme::darkTheme()
{
    Theme t;
    t.dark = true;
    t.background = QColor(32, 33, 36);
    t.foreground = QColor(220, 220, 220);
    t.grid = QColor(60, 62, 66);
    t.accent = QColor(100, 170, 230);
    t.selection = QColor(255, 255, 255);
    return t;
}

QColor Theme::typeColor(int k)
{
    static const QColor kTab10[] = {QColor(31, 119, 180), QColor(255, 127, 14), QColor(44, 160, 44),
                                    QColor(214, 39, 40),  QColor(148, 103, 189), QColor(140, 86, 75),
                                    QColor(227, 119, 194), QColor(127, 127, 127), QColor(188, 189, 34),
                                    QColor(23, 190, 207)};
    if (k < 0)
        return QColor(120, 120, 120); // no known type (a recording)
    return kTab10[((k % 10) + 10) % 10];
}

QColor Theme::traceColor(int k)
{
    // ColorBrewer Dark2: distinct from one another and from the type colours' Tableau order.
    static const QColor kDark2[] = {QColor(27, 158, 119), QColor(217, 95, 2),   QColor(117, 112, 179),
                                    QColor(231, 41, 138), QColor(102, 166, 30), QColor(230, 171, 2),
                                    QColor(166, 118, 29), QColor(102, 102, 102)};
    return kDark2[((k % 8) + 8) % 8];
}

ThemeManager& ThemeManager::instance()
{
    static ThemeManager manager;
    return manager;
}

ThemeManager::ThemeManager() : m_theme(Theme::light()) {}

void ThemeManager::setPresenter(bool on)
{
    static const QFont base = QApplication::font(); // the font before any scaling
    m_theme.scale = on ? 1.5 : 1.0;
    QFont font = base;
    font.setPointSizeF(base.pointSizeF() * m_theme.scale);
    QApplication::setFont(font);
    Q_EMIT changed();
}

void ThemeManager::setDark(bool dark)
{
    const double scale = m_theme.scale;
    m_theme = dark ? Theme::darkTheme() : Theme::light();
    m_theme.scale = scale;
    if (qApp) {
        QApplication::setStyle(QStyleFactory::create("Fusion"));
        QPalette palette = QApplication::style()->standardPalette();
        if (dark) {
            palette.setColor(QPalette::Window, QColor(45, 46, 50));
            palette.setColor(QPalette::WindowText, m_theme.foreground);
            palette.setColor(QPalette::Base, m_theme.background);
            palette.setColor(QPalette::AlternateBase, QColor(50, 52, 56));
            palette.setColor(QPalette::Text, m_theme.foreground);
            palette.setColor(QPalette::Button, QColor(55, 57, 61));
            palette.setColor(QPalette::ButtonText, m_theme.foreground);
            palette.setColor(QPalette::Highlight, m_theme.accent);
            palette.setColor(QPalette::ToolTipBase, QColor(55, 57, 61));
            palette.setColor(QPalette::ToolTipText, m_theme.foreground);
            palette.setColor(QPalette::PlaceholderText, QColor(150, 150, 150));
            palette.setColor(QPalette::Disabled, QPalette::Text, QColor(120, 120, 120));
            palette.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(120, 120, 120));
        }
        QApplication::setPalette(palette);
    }
    Q_EMIT changed();
}

} // namespace plexus::ui
