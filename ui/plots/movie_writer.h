#pragma once

#include <QImage>
#include <QSize>
#include <QString>

#include <memory>

namespace plexus::ui {

/// Writes a movie frame by frame (docs/user-guide.md, "Movies"): an MP4 file (H.264 through Debian's FFmpeg
/// libraries, MPEG-4 part 2 where libx264 is absent) when the path ends in .mp4, else numbered PNG frames
/// (frame_00001.png, …) in the folder the path names. Every frame is drawn at the movie's size (scaled to fit,
/// centred on `background`). The MP4 is written to PATH.part and renamed into place by finish(): a movie that
/// fails or is abandoned (destroyed before finish) never replaces a file.
class MovieWriter
{
public:
    MovieWriter();
    ~MovieWriter();
    MovieWriter(const MovieWriter&) = delete;
    MovieWriter& operator=(const MovieWriter&) = delete;

    /// Starts a movie of `size` pixels (an MP4's sides are rounded down to even numbers) at `fps` frames per
    /// second. Returns false with `error` naming the path and what was expected.
    bool open(const QString& path, QSize size, int fps, QString* error);
    bool addFrame(const QImage& frame, QString* error);
    /// Ends the movie (the MP4's last frames and index), puts it in place.
    bool finish(QString* error);
    bool isOpen() const;
    int frames() const { return m_frames; }
    QSize size() const { return m_size; }
    QString path() const { return m_path; }
    /// Whether the path is written as an MP4 (else as numbered PNG frames in a folder).
    static bool isVideoPath(const QString& path);

    QColor background = Qt::white;

private:
    struct Encoder;
    QImage fitted(const QImage& frame) const;
    bool openFrames(QString* error);

    std::unique_ptr<Encoder> m_encoder;
    QString m_path;
    QSize m_size;
    int m_frames = 0;
    bool m_open = false;
};

} // namespace plexus::ui
