/** Pipeline spec model, YAML parser and validator, compiler to Flink, and the ipdm CLI. */
package io.ipdm.dataflow;
