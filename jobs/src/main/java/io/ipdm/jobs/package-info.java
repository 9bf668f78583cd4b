/** Example pipelines and the tests that run every job. */
package io.ipdm.jobs;
