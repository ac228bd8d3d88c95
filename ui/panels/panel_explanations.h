#pragma once

#include <QString>

namespace plexus::ui {

/// What a panel shows, what "recovered" looks like and how to read it, in plain words with its notation defined
/// (rich text for the panel's ⓘ line; "" for a panel without one). Kept together so the Studio speaks with one voice.
QString panelExplanation(const QString& panelName);

/// Help → About the method: the paper, its figures, what Plexus adds, where the docs are (rich text).
QString aboutTheMethod();

} // namespace plexus::ui
