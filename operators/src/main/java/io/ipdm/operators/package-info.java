/** Flink operators and functions used by compiled pipelines. */
package io.ipdm.operators;
