package main

import "os"

// Config is read once from the environment.
type Config struct {
	Table  string
	Bucket string
}

func loadConfig() Config {
	return Config{Table: getEnv("CATALOG_TABLE", "catalog"), Bucket: os.Getenv("ASSETS_BUCKET")}
}

// getEnv reads a variable with a default.
func getEnv(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
