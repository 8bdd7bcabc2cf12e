/** Image quality metrics on the host, each with its convention in its name and documentation. */
package dev.srtune.metrics;
