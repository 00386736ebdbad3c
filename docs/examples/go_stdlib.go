// A bot that talks to kissmon with Go's standard library only, on one connection.
// Run: go run go_stdlib.go [channel]   Socket: $KISSMON_SOCKET, else /tmp/kissbot_monitor.sock
package main

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"time"
)

// Monitor holds one connection to kissmon; a nil conn means the monitor was unreachable.
type Monitor struct {
	conn    net.Conn
	channel string
	pid     int
}

// Connect never fails the bot: a monitor that is down leaves it running, unmonitored.
func Connect(channel string) *Monitor {
	path := os.Getenv("KISSMON_SOCKET")
	if path == "" {
		path = "/tmp/kissbot_monitor.sock"
	}
	// On failure conn is nil, and every Send returns false.
	conn, _ := net.DialTimeout("unix", path, time.Second)
	return &Monitor{conn: conn, channel: channel, pid: os.Getpid()}
}

// Send writes one message with the bot's channel and pid added; false if it was not sent.
func (m *Monitor) Send(fields map[string]any) bool {
	if m.conn == nil {
		return false
	}
	fields["channel"] = m.channel
	fields["pid"] = m.pid
	line, err := json.Marshal(fields)
	if err != nil {
		return false
	}
	// A monitor that stops reading must not stall the bot for more than a moment.
	_ = m.conn.SetWriteDeadline(time.Now().Add(time.Second))
	if _, err := m.conn.Write(append(line, '\n')); err != nil {
		m.conn.Close()
		m.conn = nil
		return false
	}
	return true
}

func main() {
	channel := "example_bot"
	if len(os.Args) > 1 {
		channel = os.Args[1]
	}
	monitor := Connect(channel)

	monitor.Send(map[string]any{"type": "register", "features": map[string]bool{"llm": true}})
	monitor.Send(map[string]any{"type": "heartbeat"})
	monitor.Send(map[string]any{
		"type": "llm_usage", "model": "gpt-4o-mini", "feature": "chat",
		"tokens_in": 812, "tokens_out": 64,
	})
	time.Sleep(500 * time.Millisecond) // the bot's real work goes here, for hours
	ok := monitor.Send(map[string]any{"type": "unregister", "reason": "shutdown"})
	if monitor.conn != nil {
		monitor.conn.Close()
	}
	if ok {
		fmt.Println("sent")
	} else {
		fmt.Println("monitor unreachable")
	}
}
