module github.com/iamfit/iamfit

go 1.26.8
