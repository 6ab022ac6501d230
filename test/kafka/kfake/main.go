// Command kfake runs franz-go's in-memory Kafka-protocol cluster (pkg/kfake) on a fixed port,
// so the Kafka adapter is tested against a real Kafka wire protocol without installing Kafka.
// Usage: kfake -port 9092 [-topics limelight.billing]. It prints "ready <addr>" once listening
// and runs until killed.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/twmb/franz-go/pkg/kfake"
)

func main() {
	port := flag.Int("port", 9092, "TCP port of the single broker")
	topics := flag.String("topics", "", "comma-separated topics to create up front")
	partitions := flag.Int("partitions", 3, "partitions per topic")
	flag.Parse()

	opts := []kfake.Opt{kfake.Ports(*port), kfake.NumBrokers(1), kfake.DefaultNumPartitions(*partitions), kfake.AllowAutoTopicCreation()}
	for _, t := range strings.Split(*topics, ",") {
		if t = strings.TrimSpace(t); t != "" {
			opts = append(opts, kfake.SeedTopics(int32(*partitions), t))
		}
	}
	cluster, err := kfake.NewCluster(opts...)
	if err != nil {
		fmt.Fprintln(os.Stderr, "kfake:", err)
		os.Exit(1)
	}
	defer cluster.Close()
	fmt.Println("ready", strings.Join(cluster.ListenAddrs(), ","))

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	<-stop
}
