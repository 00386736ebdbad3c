//! A bot that talks to kissmon with Rust's standard library only, on one connection.
//! Build: rustc --edition 2021 -O rust_std.rs    Run: ./rust_std [channel]
//! Socket path: $KISSMON_SOCKET, else /tmp/kissbot_monitor.sock.

use std::env;
use std::io::Write;
use std::os::unix::net::UnixStream;
use std::process;
use std::time::Duration;

/// A JSON string literal: quotes, backslashes and control characters escaped.
fn json_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

struct Monitor {
    stream: Option<UnixStream>,
    channel: String,
    pid: u32,
}

impl Monitor {
    /// Connects at once; a monitor that is down leaves the bot running, just unmonitored.
    fn connect(channel: &str) -> Monitor {
        let path = env::var("KISSMON_SOCKET").unwrap_or("/tmp/kissbot_monitor.sock".into());
        let stream = UnixStream::connect(path).ok();
        if let Some(stream) = &stream {
            // A monitor that stops reading must not stall the bot for more than a moment.
            let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
        }
        Monitor { stream, channel: channel.to_string(), pid: process::id() }
    }

    /// Sends one message; `fields` is the JSON after channel and pid. Returns false on failure.
    fn send(&mut self, kind: &str, fields: &str) -> bool {
        let Some(stream) = self.stream.as_mut() else { return false };
        let line = format!(
            "{{\"type\":{},\"channel\":{},\"pid\":{}{}}}\n",
            json_string(kind),
            json_string(&self.channel),
            self.pid,
            fields
        );
        if stream.write_all(line.as_bytes()).is_err() {
            self.stream = None;
            return false;
        }
        true
    }
}

fn main() {
    let channel = env::args().nth(1).unwrap_or("example_bot".into());
    let mut monitor = Monitor::connect(&channel);

    monitor.send("register", ",\"features\":{\"llm\":true,\"tts\":false}");
    monitor.send("heartbeat", "");
    let usage = format!(
        ",\"model\":{},\"feature\":{},\"tokens_in\":{},\"tokens_out\":{}",
        json_string("gpt-4o-mini"),
        json_string("chat"),
        812,
        64
    );
    monitor.send("llm_usage", &usage);
    // The bot's real work goes here, for hours.
    std::thread::sleep(std::time::Duration::from_millis(500));
    let ok = monitor.send("unregister", ",\"reason\":\"shutdown\"");
    println!("{}", if ok { "sent" } else { "monitor unreachable" });
}
